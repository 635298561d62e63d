"""The notice as web-form fields: Cloudflare's ``abuse_dmca`` report and Google's copyright removal form.

Cloudflare's field names and limits are those of its abuse-reports API
(``POST /accounts/{account_id}/abuse-reports/abuse_dmca``, as in the
cloudflare-python SDK's ``AbuseReportCreateParams``): at most 250 URLs, one
host name, newline-separated. Google publishes no field names for its web
form (reportcontent.google.com/forms/dmca_search), so those keys are plain
names for the form's labels; ``label`` in each entry is the label to look for.
"""

from __future__ import annotations

from typing import Any

from .model import Author, Evidence

__all__ = ["cloudflare_fields", "google_fields", "CLOUDFLARE_MAX_URLS"]

#: Cloudflare's abuse form takes at most this many URLs, all on one host name.
CLOUDFLARE_MAX_URLS = 250
#: Cloudflare's length limits, by field.
_LIMITS = {"name": 255, "agent_name": 60, "address1": 100, "company": 100, "tele": 20, "original_work": 255,
           "comments": 2000, "justification": 5000}


def _originals(copies: tuple[Evidence, ...]) -> list[str]:
    seen: dict[int, str] = {}
    for evidence in copies:
        original = evidence.original
        parts = [f'"{original.title}"' if original.title else "untitled article", original.url or ""]
        seen.setdefault(original.work_id, " ".join(p for p in parts if p))
    return list(seen.values())


def _justification(copies: tuple[Evidence, ...]) -> str:
    lines = []
    for evidence in copies:
        figures, copy = evidence.figures, evidence.copy
        where = copy.final_url or copy.url
        if not where:
            continue  # a page checked from a file: the forms name URLs only
        line = (f"{where}: copies {figures.coverage:.0%} of \"{evidence.original.title or 'an untitled article'}\""
                f" ({figures.copied_words} of {figures.original_words} words")
        if evidence.flags.spun and evidence.substitutions:
            pairs = ", ".join(f"{s.original} -> {s.replacement}" for s in evidence.substitutions[:3])
            line += f"; words swapped for synonyms, e.g. {pairs}"
        lines.append(line + "). The page was fetched without logging in.")
    return "\n".join(lines)


def _fit(fields: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """Cut fields to Cloudflare's limits, noting each cut so the user can shorten the text by hand."""
    for key, limit in _LIMITS.items():
        value = fields.get(key)
        if isinstance(value, str) and len(value) > limit:
            fields[key] = value[: limit - 1] + "…"
            notes.append(f"cloudflare: {key} was cut to Cloudflare's {limit}-character limit; shorten it by hand")
    return fields


def cloudflare_fields(author: Author, copies: tuple[Evidence, ...], urls: tuple[str, ...]) -> tuple[dict[str, Any],
                                                                                                    list[str]]:
    """The body of a Cloudflare ``abuse_dmca`` report, and notes on what must be filled or checked by hand."""
    notes = ["cloudflare: city, state and country are separate fields there; [author] address holds them all,"
             " so split it when you file",
             "cloudflare: submitting the form with agree=1 is your own agreement to Cloudflare's terms"]
    name, email = author.name.strip(), author.email.strip()
    fields: dict[str, Any] = {
        "act": "abuse_dmca",
        "name": name, "email": email, "email2": email,
        "signature": name if author.signature.strip() else "",  # Cloudflare: "should be same as Name"
        "agent_name": name, "company": author.company.strip(), "tele": author.phone.strip(),
        "address1": author.address.strip(),
        "city": "", "state": "", "country": "",
        "host_notification": "send", "owner_notification": "send", "ncmec_notification": "none",
        "original_work": "; ".join(_originals(copies)),
        "urls": "\n".join(urls),
        "justification": _justification(copies),
        "comments": "Evidence report with archived snapshots and SHA-256 checksums available on request.",
        "agree": 1,
    }
    if len(urls) > CLOUDFLARE_MAX_URLS:
        notes.append(f"cloudflare: more than {CLOUDFLARE_MAX_URLS} URLs; file one report per part")
    return _fit(fields, notes), notes


def google_fields(author: Author, copies: tuple[Evidence, ...], urls: tuple[str, ...], date: str) -> tuple[
        dict[str, Any], list[str]]:
    """Google's copyright removal form (web search), field by field, with each field's label on the form."""
    first, _, last = author.name.strip().rpartition(" ") if " " in author.name.strip() else (author.name.strip(),
                                                                                                "", "")
    work_urls = list(dict.fromkeys(e.original.url for e in copies if e.original.url))

    def entry(label: str, value: Any) -> dict[str, Any]:
        return {"label": label, "value": value}

    fields = {
        "first_name": entry("First name", first), "last_name": entry("Last name", last),
        "company_name": entry("Company name", author.company.strip()),
        "copyright_owner": entry("Name of the copyright owner you represent", author.name.strip()),
        "email": entry("Contact email address", author.email.strip()),
        "country": entry("Country/Region of residence", ""),
        "work_description": entry("Identify and describe the copyrighted work", "; ".join(_originals(copies))),
        "authorized_example_urls": entry("Where can we see an authorized example of the work?", work_urls),
        "infringing_urls": entry("Location of infringing material", list(urls)),
        "sworn_statements": entry("Sworn statements (tick each)", [
            "I have a good faith belief that use of the material in the manner complained of is not authorized by"
            " the copyright owner, its agent, or the law.",
            "The information in this notification is accurate, and I swear, under penalty of perjury, that I am"
            " the copyright owner or am authorized to act on behalf of the owner of an exclusive right that is"
            " allegedly infringed."]),
        "signed_on": entry("Signed on this date of", date),
        "signature": entry("Signature", author.signature.strip()),
    }
    notes = ["google: Google publishes no field names for this form; the keys here are plain names for its labels",
             "google: country is not in [author]; choose it on the form"]
    if not work_urls:
        notes.append("google: the form asks for a URL of the original; none is registered")
    return fields, notes
