"""The DMCA notice draft: the six elements of 17 U.S.C. §512(c)(3)(A), filled from ``[author]``.

A notice without all six elements does not count, so each one is checked
and every gap is named (which ``[author]`` key to fill) instead of being
papered over; the draft still renders, with a visible placeholder, so the
rest of the evidence is usable at once. The same facts are laid out as the
fields of Cloudflare's ``abuse_dmca`` report and Google's copyright removal
form (:mod:`.forms`).
"""

from __future__ import annotations

import textwrap

from .forms import cloudflare_fields, google_fields
from .model import Author, Element, Evidence, Notice
from .timeline import day

__all__ = ["draft_notice", "REQUIRED", "missing_fields", "describe_copy", "authorship_cautions"]

#: The ``[author]`` keys a complete notice needs (``phone`` and ``company`` are optional).
REQUIRED = ("name", "email", "address", "signature")
_WIDTH = 76


def missing_fields(author: Author) -> tuple[str, ...]:
    return tuple(key for key in REQUIRED if not getattr(author, key).strip())


def _value(author: Author, key: str) -> str:
    return getattr(author, key).strip() or f"[MISSING: set [author] {key} in config.toml]"


def describe_copy(evidence: Evidence) -> str:
    """One line on what a copy took: extent, share of the words, and spinning."""
    figures = evidence.figures
    kind = {"full": "full copy", "partial": "partial copy", "quote": "quotation"}.get(figures.extent, figures.extent)
    spun = ", spun with synonyms" if evidence.flags.spun else ""
    return f"{kind}, {figures.coverage:.0%} of the original's words{spun}"


#: Stands in the notice for the address of a copy checked from a file: a host cannot act on a notice without it.
_NO_URL = "[MISSING: the copy's URL; check the page by its address ('detector check URL') to record it]"


def _works(copies: tuple[Evidence, ...]) -> list[str]:
    seen: dict[int, str] = {}
    for evidence in copies:
        original = evidence.original
        title = f'"{original.title}"' if original.title else "an untitled article"
        where = f", published at {original.url}" if original.url else ""
        when = f" on {day(original.published)}" if original.published else ""
        seen.setdefault(original.work_id, f"- {title}{where}{when}")
    return list(seen.values())


def _paragraph(text: str, indent: str = "") -> str:
    return textwrap.fill(text, _WIDTH, initial_indent=indent, subsequent_indent=indent, break_long_words=False,
                         break_on_hyphens=False)


def _body(author: Author, host: str, copies: tuple[Evidence, ...], date: str) -> str:
    contact = [_value(author, "name")] + ([author.company.strip()] if author.company.strip() else [])
    contact += [_value(author, "address"), f"Email: {_value(author, 'email')}"]
    contact += [f"Phone: {author.phone.strip()}"] if author.phone.strip() else []
    infringing = [f"- {e.copy.final_url or e.copy.url or _NO_URL}\n"
                  f"  copies \"{e.original.title or 'untitled'}\" ({describe_copy(e)})" for e in copies]
    parts = [
        f"Subject: DMCA notice of copyright infringement on {host}",
        "To the designated copyright agent:",
        _paragraph(f"I am the author and copyright owner of the work identified below. Under 17 U.S.C. § 512(c)(3),"
                   f" I am notifying you that the material listed below, on {host}, infringes my copyright. Please"
                   " remove it or disable access to it expeditiously."),
        "1. The copyrighted work\n" + "\n".join(_works(copies)),
        "2. The infringing material\n"
        + _paragraph("These pages reproduce the work above without my permission:") + "\n" + "\n".join(infringing)
        + "\n" + _paragraph("An evidence report with archived copies of these pages and their SHA-256 checksums is"
                            " available on request."),
        "3. My contact information\n" + "\n".join(contact),
        "4. Statement of good faith\n" + _paragraph(
            "I have a good faith belief that use of the material in the manner complained of is not authorized by"
            " the copyright owner, its agent, or the law."),
        "5. Statement of accuracy\n" + _paragraph(
            "The information in this notification is accurate, and under penalty of perjury, I am the owner, or"
            " an agent authorized to act on behalf of the owner, of an exclusive right that is allegedly"
            " infringed."),
        f"Signature: {_value(author, 'signature')}\nDate: {date}",
    ]
    return "\n\n".join(parts) + "\n"


def _elements(author: Author, copies: tuple[Evidence, ...]) -> tuple[Element, ...]:
    def absent(*keys: str) -> tuple[str, ...]:
        return tuple(k for k in keys if not getattr(author, k).strip())

    located = all(e.copy.final_url or e.copy.url for e in copies)
    identified = all(e.original.title or e.original.url for e in copies)
    return (
        Element("(i)", "signature of the owner or an authorized agent", not absent("signature"),
                absent("signature")),
        Element("(ii)", "identification of the copyrighted work", identified,
                () if identified else ("the original's title or URL",)),
        Element("(iii)", "identification of the infringing material, with enough to locate it", located,
                () if located else ("the URL of each copy (pages checked from local files have none)",)),
        Element("(iv)", "the complainant's contact information", not absent("name", "email", "address"),
                absent("name", "email", "address")),
        Element("(v)", "a statement of good-faith belief that the use is not authorized", True),
        Element("(vi)", "a statement, under penalty of perjury, that the notice is accurate and the sender is"
                        " authorized", True),
    )


def authorship_cautions(author: Author, copies: tuple[Evidence, ...]) -> tuple[str, ...]:
    """A line for each work whose registered author is not the person who signs the notice.

    The notice swears, under penalty of perjury, that the sender owns the copyright
    or acts for the owner; a guest post, a co-worker's post or a client's is a case
    where that may not be so, and only the sender can say.
    """
    signer = " ".join(author.name.split()).casefold()
    cautions: dict[int, str] = {}
    for evidence in copies:
        original = evidence.original
        written_by = " ".join((original.author or "").split())
        if signer and written_by and signer not in written_by.casefold():
            cautions.setdefault(original.work_id, (
                f'"{original.title or "untitled"}" is registered as written by {written_by}, not by {author.name.strip()},'
                " who signs this notice: send it only if you own that copyright or act for its owner, and then say"
                " which in the notice"))
    return tuple(cautions.values())


def draft_notice(author: Author, host: str, copies: tuple[Evidence, ...], generated_at: str) -> Notice:
    """The notice for the recommended copies of one report, its element checklist and the form fields."""
    urls = tuple(dict.fromkeys(url for e in copies if (url := e.copy.final_url or e.copy.url)))
    cloudflare, notes = cloudflare_fields(author, copies, urls)
    google, google_notes = google_fields(author, copies, urls, day(generated_at))
    unlocated = sum(1 for e in copies if not (e.copy.final_url or e.copy.url))
    if unlocated:
        notes.append(f"forms: {unlocated} cop{'ies' if unlocated != 1 else 'y'} checked from local files"
                     f" {'have' if unlocated != 1 else 'has'} no URL and {'are' if unlocated != 1 else 'is'} not in"
                     " the forms; check them by URL ('detector check URL') to add them")
    absent = missing_fields(author)
    if absent:
        notes.append(f"forms: [author] {', '.join(absent)} not set: those fields are empty")
    return Notice(_body(author, host, copies, day(generated_at)), _elements(author, copies), absent,
                  urls, cloudflare, google, tuple(notes + google_notes), authorship_cautions(author, copies))
