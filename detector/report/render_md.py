"""The Markdown report: for pasting into an email to an abuse desk.

Page-derived text only ever appears inside code spans or fenced blocks, so
a Markdown viewer shows it literally and never turns it into a link or
markup. Long passages are cut: the full side-by-side is in the HTML report.
"""

from __future__ import annotations

from .model import Evidence, PassageView, Report
from .names import LOCAL_HOST
from .notice import describe_copy
from .safe import md_block, md_code
from .timeline import shown

__all__ = ["render_md", "MD_PASSAGE_WORDS"]

#: Words of marked-up copy shown per copy; an email is not the place for the whole article.
MD_PASSAGE_WORDS = 250


def _inline_diff(view: PassageView, budget: int) -> tuple[str, int]:
    """The copy's side of a passage with each swap written [original -> replacement]; stops after ``budget`` words."""
    out: list[str] = []
    used = 0
    for row in view.rows:
        for segment in row.copy:
            if used >= budget:
                return "".join(out) + " …", used
            if segment.kind == "changed":
                out.append(f"[{segment.other} -> {segment.text}]")
            elif segment.kind == "added":
                out.append(f"[+ {segment.text}]")
            else:
                out.append(segment.text)
            used += len(segment.text.split()) if segment.kind != "plain" else 0
        out.append("\n\n")
    return "".join(out).rstrip(), used


def _evidence(e: Evidence) -> list[str]:
    copy, original, f = e.copy, e.original, e.figures
    snap = copy.snapshot
    lines = [f"## Copy {e.number}: {md_code(copy.final_url or copy.url or copy.key)}", ""]
    if not e.recommended:
        lines += ["**Not recommended for takedown** (a quotation or an authorized copy); shown because it was named"
                  " by id, and left out of the notice.", ""]
    if e.page_changed:
        lines += ["The page has changed since detector first found this copy; the figures and passages below describe"
                  " the latest stored version.", ""]
    lines += [f"Match id {e.match_id} ({e.state}{': ' + md_code(e.state_reason) if e.state_reason else ''}).", ""]
    lines += [
        f"- Original: {md_code(original.title)} at {md_code(original.url)}, published"
        f" {md_code(original.published and shown(original.published))}, registered {shown(original.registered_at)},"
        f" text sha256 {md_code(original.sha256)}",
        f"- Copy: URL {md_code(snap.url if snap else copy.url)}, final URL {md_code(copy.final_url or copy.url)},"
        f" first seen {shown(copy.first_seen)}, last seen {shown(copy.last_seen)}",
    ]
    if snap:
        headers = "; ".join(f"{k}: {v}" for k, v in snap.headers)
        lines += [f"- HTTP status {snap.status}, archived {shown(snap.fetched_at)}, snapshot sha256"
                  f" {md_code(snap.sha256)}, file {md_code(snap.file)}", f"- Server headers: {md_code(headers)}"]
    else:
        lines += [f"- No HTTP snapshot exists (checked from a local file); sha256 of the stored page text:"
                  f" {md_code(copy.text_sha256)}"]
    lines += [
        f"- How much: {describe_copy(e)}; {f.copied_words} of {f.original_words} words; similarity"
        f" {f.similarity:.2f} (the share of three-word phrases the whole texts share; low when words were swapped); longest copied passage {f.longest_passage_words} words; longest word-for-word run"
        f" {f.longest_verbatim_words} words",
        f"- Flags: chrome {'yes' if e.flags.chrome else 'no'}, spun {'yes' if e.flags.spun else 'no'},"
        f" authorized {'yes' if e.flags.authorized else 'no'}, takedown {'yes' if e.flags.takedown else 'no'}",
        *(f"  - {md_code(reason)}" for reason in e.flags.reasons),
        f"- Who came first: {md_code(e.timeline.verdict)}",
    ]
    if e.substitutions:
        pairs = ", ".join(f"{s.original} -> {s.replacement}" + (f" (x{s.count})" if s.count > 1 else "")
                          for s in e.substitutions[:40])
        lines += [f"- Words swapped for synonyms ({len(e.substitutions)} kinds): {md_code(pairs)}"]
    return lines + ["", "The copy's text, with each swap written [original -> replacement]"
                    " (the full side-by-side view is in the HTML report):", "", md_block(_excerpt(e)), ""]


def _excerpt(e: Evidence) -> str:
    """The start of the copied passages, marked up, within :data:`MD_PASSAGE_WORDS`."""
    budget, excerpts = MD_PASSAGE_WORDS, []
    for view in e.passages:
        if budget <= 0:
            break
        text, used = _inline_diff(view, budget)
        budget -= used
        excerpts.append(text)
    return "\n\n".join(excerpts)


def render_md(report: Report) -> str:
    """The report as Markdown: summary, the notice as plain text, then the evidence per copy."""
    where = "local files" if report.host == LOCAL_HOST else report.host
    lines = [f"# Copyright infringement evidence: {md_code(where)}"
             + (f" (part {report.part} of {report.parts})" if report.parts > 1 else ""), "",
             f"Generated {shown(report.generated_at)} by {report.generator} from its store (nothing was fetched).", "",
             f"{len(report.copies)} cop{'ies' if len(report.copies) != 1 else 'y'}:", ""]
    lines += [f"{e.number}. {md_code(e.copy.final_url or e.copy.url or e.copy.key)}: {describe_copy(e)}"
              + ("" if e.recommended else " (not recommended for takedown)") for e in report.copies]
    lines += ["", "## DMCA notice", ""]
    if report.notice is None:
        lines += ["No copy in this report is recommended for takedown, so no notice is drafted.", ""]
    else:
        lines += [f"**Check before you send:** {md_code(c)}." for c in report.notice.cautions]
        lines += [""] if report.notice.cautions else []
        if report.notice.missing:
            lines += [f"**Not ready to send:** set {', '.join(report.notice.missing)} in the [author] table of"
                      " config.toml, then run `detector report` again.", ""]
        lines += [md_block(report.notice.text), ""]
    for evidence in report.copies:
        lines += _evidence(evidence)
    return "\n".join(lines).rstrip() + "\n"
