"""The rules that must never be wrong: authorized copies and quotations are not takedowns.

A copy is authorized when its canonical link is the work's URL, when its
host is allow-listed, or when the page is the work itself. These are facts
a person can verify, so they are rules, not model outputs.
"""

from __future__ import annotations

from ..config import Config
from ..extract import Page
from ..match import Found
from ..store import StoredWork
from ..urls import host_of, same_url, url_key

__all__ = ["authorization", "credits_original", "takedown_reasons", "CANONICAL_REASON", "canonical_only",
           "confirmed_over_canonical"]


#: How the canonical-link reason starts. It is the one authorization a scraper can fake (a page copied with its
#: <head> carries the original's canonical link), so a match authorized by it alone may be confirmed into a takedown.
CANONICAL_REASON = "The page's canonical link points to the original"


def authorization(page: Page, page_url: str | None, work: StoredWork, config: Config) -> list[str]:
    reasons: list[str] = []
    if work.url and same_url(page.canonical, work.url):
        reasons.append(f"{CANONICAL_REASON} ({work.url}). If you did not syndicate it there, the copier took your"
                       " page's head with it: 'detector confirm ID' puts it in the next notice.")
    host = host_of(page_url)
    allowed = {h.lower().removeprefix("www.") for h in config.authorized.hosts}
    if host and host in allowed:
        reasons.append(f"The host {host} is allow-listed in [authorized] hosts.")
    if same_url(page_url, work.url) or page_url == work.key:
        reasons.append("The page is the registered original itself.")
    return reasons


def canonical_only(reasons: list[str]) -> bool:
    """Whether a match's authorization rests on the canonical link alone (no allow-listed host, not the original)."""
    authorized = [r for r in reasons if r.startswith((CANONICAL_REASON, "The host ", "The page is the registered"))]
    return bool(authorized) and all(r.startswith(CANONICAL_REASON) for r in authorized)


def confirmed_over_canonical(state: str, takedown: bool, extent: str, reasons: list[str]) -> bool:
    """Whether a match the classifier kept from takedown is one all the same: the author confirmed it, and only
    the canonical link (which a copier can carry over) authorized it. A quotation never is."""
    return state == "confirmed" and not takedown and extent != "quote" and canonical_only(reasons)


def credits_original(page: Page, work: StoredWork) -> bool:
    """Whether the page links to the original: a quotation's attribution."""
    if not work.url:
        return False
    target = url_key(work.url)  # once, not once per link: a page has hundreds
    return any(link.href and url_key(link.href) == target for link in page.links)


def takedown_reasons(found: Found, authorization: list[str], config: Config, credited: bool = False) -> list[str]:
    """The extent sentence, the quotation and attribution sentences when they apply, and the authorization reasons."""
    reasons = [
        f"{found.copied_words} of the original's {len(found.work_tokens)} words are in copied passages "
        f"({found.coverage:.0%} coverage, {len(found.passages)} passage{'s' if len(found.passages) != 1 else ''})."
    ]
    if found.extent == "quote":
        reasons.append(
            f"Only {found.copied_words} words are copied (at most {config.match.quote_max_words} count as a quotation)."
        )
    if credited:
        reasons.append("The page links to the original, as a quotation's attribution does.")
    return reasons + authorization
