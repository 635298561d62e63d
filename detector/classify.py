"""Classify a verified copy: is it authorized, and is a takedown warranted?

This is the rule-based core that the scikit-learn chrome and spin model
builds on; it already decides the two things that must never be wrong: an
authorized copy (canonical link to the original, an allow-listed host, or the
work's own URL) and a short quotation are never takedowns.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .config import Config
from .extract import Page
from .match import Found
from .store import MatchRecord, StoredWork

__all__ = ["classify", "same_url", "host_of"]


def host_of(url: str | None) -> str:
    if not url:
        return ""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def same_url(a: str | None, b: str | None) -> bool:
    """URLs equal up to scheme, a leading www., a trailing slash, query order and fragment."""
    if not a or not b:
        return False
    pa, pb = urlsplit(a.strip()), urlsplit(b.strip())
    return (host_of(a), pa.path.rstrip("/") or "/", pa.query) == (host_of(b), pb.path.rstrip("/") or "/", pb.query)


def _authorization(page: Page, page_url: str | None, work: StoredWork, config: Config) -> list[str]:
    reasons: list[str] = []
    if work.url and same_url(page.canonical, work.url):
        reasons.append(f"The page's canonical link points to the original ({work.url}).")
    host = host_of(page_url)
    allowed = {h.lower().removeprefix("www.") for h in config.authorized.hosts}
    if host and host in allowed:
        reasons.append(f"The host {host} is allow-listed in [authorized] hosts.")
    if same_url(page_url, work.url) or page_url == work.key:
        reasons.append("The page is the registered original itself.")
    return reasons


def classify(found: Found, page: Page, page_url: str | None, work: StoredWork, config: Config) -> MatchRecord:
    """Turn a verified copy into a stored match with flags and plain-sentence reasons."""
    authorization = _authorization(page, page_url, work, config)
    reasons = [
        f"{found.copied_words} of the original's {len(found.work_tokens)} words are in copied passages "
        f"({found.coverage:.0%} coverage, {len(found.passages)} passage{'s' if len(found.passages) != 1 else ''})."
    ]
    if found.extent == "quote":
        reasons.append(
            f"Only {found.copied_words} words are copied (at most {config.match.quote_max_words} count as a quotation)."
        )
    reasons.extend(authorization)
    takedown = found.extent in ("full", "partial") and not authorization
    return MatchRecord(
        work_id=found.work_id, extent=found.extent, coverage=found.coverage, similarity=found.similarity,
        copied_words=found.copied_words,
        passages=[
            {"work_start": p.work_start, "work_end": p.work_end, "page_start": p.page_start, "page_end": p.page_end}
            for p in found.passages
        ],
        authorized=bool(authorization), takedown=takedown, reasons=reasons,
    )
