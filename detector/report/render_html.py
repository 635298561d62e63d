"""The HTML report: one self-contained file an abuse desk can open, read, print and trust.

Inline CSS only: no script, no stylesheet link, no image, no font, no
request of any kind (a Content-Security-Policy says so to the browser as
well, in case a page ever slipped past the escaping). The first screen
answers who is copying, what, how much, who came first, and what to do next.
"""

from __future__ import annotations

from collections import Counter

from .html_copy import copy_section, yes_no
from .model import Evidence, Notice, Report
from .names import LOCAL_HOST
from .notice import describe_copy
from .safe import esc
from .style import CSS
from .timeline import day, shown

__all__ = ["render_html", "CSP"]

#: Nothing may load, run or be submitted; only the inline stylesheet applies.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"


def _title(report: Report) -> str:
    n = len(report.copies)
    where = "in local files" if report.host == LOCAL_HOST else f"on {report.host}"
    part = f" (part {report.part} of {report.parts})" if report.parts > 1 else ""
    return f"{n} cop{'ies' if n != 1 else 'y'} of your writing {where}{part}"


def _readiness(report: Report) -> str:
    notice = report.notice
    if notice is not None and notice.cautions:
        return "".join(f'<div class="callout warn"><strong>Check before you send.</strong>{esc(c)}.</div>'
                       for c in notice.cautions) + _ready(report)
    return _ready(report)


def _ready(report: Report) -> str:
    notice = report.notice
    if notice is None:
        return ('<div class="callout warn"><strong>No notice drafted.</strong>None of the copies in this report is'
                " recommended for takedown.</div>")
    lacking = [m for e in notice.elements for m in e.missing]
    if not lacking:
        headline = "Every element is filled in." if notice.cautions else "The notice is ready to review and send."
        return (f'<div class="callout ok"><strong>{headline}</strong>All six elements'
                " required by 17 U.S.C. §512(c)(3)(A) are filled in.</div>")
    keys = [f"<code>{esc(k)}</code>" for k in notice.missing]
    fix = (f" Add {', '.join(keys)} to the <code>[author]</code> table of config.toml and run"
           " <code>detector report</code> again.") if keys else ""
    other = [esc(m) for e in notice.elements for m in e.missing if m not in notice.missing]
    more = f" It also lacks: {'; '.join(other)}." if other else ""
    return (f'<div class="callout warn"><strong>The notice is not ready to send yet.</strong>It lacks'
            f" {len(lacking)} required detail{'s' if len(lacking) != 1 else ''}.{fix}{more} Everything else in this"
            " report is complete.</div>")


def _works(copies: tuple[Evidence, ...]) -> str:
    seen: dict[int, str] = {}
    for e in copies:
        when = f", published {esc(day(e.original.published))}" if e.original.published else ""
        seen.setdefault(e.original.work_id, f"“{esc(e.original.title or 'untitled')}”{when}")
    return "; ".join(seen.values())


def _copies_table(report: Report) -> str:
    rows = []
    for e in report.copies:
        rows.append(f'<tr><td><a href="#copy-{e.number}">{e.number}</a></td>'
                    f'<td class="url">{esc(e.copy.final_url or e.copy.url or e.copy.key)}</td>'
                    f"<td>{esc(e.original.title or 'untitled')}</td><td>{esc(describe_copy(e))}</td>"
                    f"<td>{yes_no(e.recommended, 'yes', 'no: ' + ('authorized' if e.flags.authorized else 'quotation'))}"
                    "</td></tr>")
    return ('<table class="copies"><thead><tr><th>#</th><th>Where the copy is</th><th>Your article</th>'
            f"<th>How much</th><th>Takedown</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _next_steps(report: Report) -> str:
    steps = []
    if report.notice is not None and report.notice.missing:
        steps.append("Fill in the missing <code>[author]</code> details named above and run"
                     " <code>detector report</code> again.")
    if report.host == LOCAL_HOST:
        steps.append("Find where each copy is online and check it by URL (<code>detector check URL</code>): a notice"
                     " must name the URL, and a fetched page gets an archived snapshot.")
    elif report.notice is not None:
        steps.append('Read the <a href="#notice">notice draft</a> carefully: you sign it under penalty of perjury.')
        steps.append(f"Send it, as plain text, to the abuse or copyright contact of the company hosting"
                     f" <strong>{esc(report.host)}</strong> (a WHOIS lookup of the site's IP address names the host"
                     " and its abuse address). If the site is behind Cloudflare, file it on Cloudflare's abuse form"
                     " (type: DMCA); to drop the pages from Google Search, use Google's copyright removal form."
                     " <code>detector report --format json</code> gives both forms' fields.")
    if any(e.copy.snapshot for e in report.copies):
        steps.append("Keep this file together with the <code>snapshots</code> folder beside it, and send both if the"
                     " host asks for evidence: each snapshot's SHA-256 below lets anyone check that the archived"
                     " page is the one this report describes.")
    items = "".join(f"<li>{s}</li>" for s in steps)
    return f'<div class="callout info next"><strong>What to do next</strong><ol class="steps">{items}</ol></div>'


def _how_much(report: Report) -> str:
    extents = Counter(e.figures.extent for e in report.copies)
    words = {"full": "full cop", "partial": "partial cop", "quote": "quotation"}
    parts = [f"{n} {words.get(k, k)}{('ies' if n != 1 else 'y') if k != 'quote' else ('s' if n != 1 else '')}"
             for k, n in sorted(extents.items(), key=lambda kv: ("full", "partial", "quote").index(kv[0])
                                if kv[0] in ("full", "partial", "quote") else 3)]
    spun = sum(1 for e in report.copies if e.flags.spun)
    best = max(e.figures.coverage for e in report.copies)
    return ", ".join(parts) + (f"; {spun} spun (words swapped for synonyms)" if spun else "") + (
        f"; up to {best:.0%} of an original's words")


def _summary(report: Report) -> str:
    first = all(e.timeline.original_first for e in report.copies)
    n = len(report.copies)
    who = ("pages checked from files on this computer (no URL known)" if report.host == LOCAL_HOST
           else f'<span class="url">{esc(report.host)}</span>, {n} page{"s" if n != 1 else ""}')
    owner = esc(report.author.name.strip()) or '<span class="no">not set: [author] name</span>'
    return (
        f'<section id="summary">{_readiness(report)}<dl class="facts">'
        f"<dt>Who is copying</dt><dd>{who}</dd>"
        f"<dt>What was copied</dt><dd>{_works(report.copies)}</dd>"
        f"<dt>How much</dt><dd>{esc(_how_much(report))}</dd>"
        f"<dt>Who came first</dt><dd>{yes_no(first, 'the original', 'check the dates')}"
        f" (see the timeline of each copy)</dd>"
        f"<dt>Copyright owner</dt><dd>{owner}</dd>"
        f"</dl>{_next_steps(report)}"
        f"<h3>The copies</h3>{_copies_table(report)}</section>"
    )


def _notice(notice: Notice | None) -> str:
    if notice is None:
        return ('<section id="notice"><h2>The DMCA notice</h2><p>No copy in this report is recommended for'
                " takedown, so no notice is drafted.</p></section>")
    rows = "".join(f"<tr><td>{esc(e.clause)}</td><td>{esc(e.name)}</td><td>"
                   + (yes_no(True, "present") if e.present else
                      yes_no(False, no="missing: " + ", ".join(esc(m) for m in e.missing)))
                   + "</td></tr>" for e in notice.elements)
    return (
        '<section id="notice"><h2>The DMCA notice: a draft to review, then send as plain text</h2>'
        "<p>The six elements of a valid notice under 17 U.S.C. §512(c)(3)(A):</p>"
        f"<table><thead><tr><th>Clause</th><th>Element</th><th>In this draft</th></tr></thead><tbody>{rows}</tbody>"
        f'</table><pre class="notice">{esc(notice.text)}</pre></section>'
    )


def render_html(report: Report) -> str:
    """The report as one HTML document (UTF-8, no external resources)."""
    title = _title(report)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">'
        f"<title>{esc(title)}: copyright infringement evidence</title><style>{CSS}</style></head><body>"
        f'<header><p class="kicker">Copyright infringement evidence</p><h1>{esc(title)}</h1>'
        f'<p class="meta">Generated {esc(shown(report.generated_at))} by {esc(report.generator)} from its store'
        " (nothing was fetched to write it).</p></header>"
        f"{_summary(report)}{_notice(report.notice)}"
        + "".join(copy_section(e) for e in report.copies)
        + '<footer><p>To check a snapshot, compare <code>sha256sum snapshots/FILE</code> with the SHA-256 shown for'
        " it. Substitutions are found by comparing the stored texts word by word inside each matched passage.</p>"
        "</footer></body></html>\n"
    )
