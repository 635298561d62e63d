"""The HTML of one copy's evidence: facts, figures, flags, timeline, substitutions and the side-by-side view.

Every value that came from a page or the store goes through :func:`esc`;
the only markup here is the literal tags in this file. Copy URLs are shown
as text, never as links: the report makes no request and offers no click
that leads to the copying site.
"""

from __future__ import annotations

from .model import Copy, Evidence, Original, PassageView, Segment, Substitution
from .notice import describe_copy
from .safe import esc
from .timeline import shown

__all__ = ["copy_section", "yes_no"]


def yes_no(value: bool, yes: str = "yes", no: str = "no") -> str:
    """A judgement that matters to the takedown: green when it holds, orange when it does not."""
    return f'<span class="yes">{yes}</span>' if value else f'<span class="no">{no}</span>'


def _flag(value: bool) -> str:
    """A classifier flag: neither outcome is good or bad in itself."""
    return "<strong>yes</strong>" if value else "no"


def _kv(rows: list[tuple[str, str]]) -> str:
    """A two-column facts table; values are already-escaped HTML."""
    body = "".join(f"<tr><th scope=\"row\">{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="kv">{body}</table>'


def _or_none(value: object, css: str = "") -> str:
    if value is None or value == "":
        return '<span class="meta">not recorded</span>'
    return f'<span class="{css}">{esc(value)}</span>' if css else esc(value)


def _original(original: Original) -> str:
    return _kv([
        ("Title", _or_none(original.title)),
        ("URL", _or_none(original.url, "url")),
        ("Published", _or_none(original.published and shown(original.published))),
        ("Registered with detector", _or_none(shown(original.registered_at))),
        ("SHA-256 of the registered text", f'<span class="hash">{esc(original.sha256)}</span>'),
        ("Length", f"{original.words:,} words"),
    ])


def _snapshot_rows(copy: Copy) -> list[tuple[str, str]]:
    snap = copy.snapshot
    if snap is None:
        return [("HTTP snapshot", "<strong>None exists.</strong> This page was checked from a local file, not"
                 " fetched from the web, so there is no archived HTTP answer. The stored page text is the evidence:"),
                ("SHA-256 of the stored page text", f'<span class="hash">{esc(copy.text_sha256)}</span>')]
    headers = "<br>".join(f"<code>{esc(k)}: {esc(v)}</code>" for k, v in snap.headers)
    redirects = " → ".join(esc(u) for u in (*snap.redirects, snap.final_url)) if snap.redirects else "none"
    return [
        ("HTTP status", esc(snap.status)),
        ("Redirects", f'<span class="url">{redirects}</span>'),
        ("Archived", esc(shown(snap.fetched_at))),
        ("Snapshot file", f'<a href="{esc(snap.file)}"><code>{esc(snap.file)}</code></a>'
                          f" ({snap.size:,} bytes, {esc(snap.content_type or 'unknown type')}; saved as .txt so"
                          " opening it never runs the page)"),
        ("SHA-256 of the snapshot", f'<span class="hash">{esc(snap.sha256)}</span>'),
        ("Server headers kept", headers or "none"),
    ]


def _copy(copy: Copy) -> str:
    rows = [
        ("URL", _or_none(copy.snapshot.url if copy.snapshot else copy.url, "url")),
        ("Final URL", _or_none(copy.final_url or copy.url or copy.key, "url")),
        ("Page title", _or_none(copy.title)),
        ("Byline on the page", _or_none(copy.byline)),
        ("Date the page claims", _or_none(copy.published and shown(copy.published))),
        ("Canonical link", _or_none(copy.canonical, "url")),
        ("First seen", esc(shown(copy.first_seen))),
        ("Last seen", esc(shown(copy.last_seen))),
    ]
    return _kv(rows + _snapshot_rows(copy))


def _figures(evidence: Evidence) -> str:
    f = evidence.figures
    items = [
        (f"{f.coverage:.0%}", f"coverage: {f.copied_words:,} of the original's {f.original_words:,} words"),
        (f"{f.similarity:.2f}", "similarity: the share of three-word phrases the two whole texts have in common"
                                " (estimated Jaccard); low for a spun copy, whose words were swapped"),
        (f"{f.longest_passage_words:,}", "words in the longest copied passage"),
        (f"{f.longest_verbatim_words:,}", "words in the longest word-for-word run"),
        (f"{f.substituted:,}", "words or phrases swapped for synonyms"),
        (esc(f.extent), f"extent ({f.passages} passage{'s' if f.passages != 1 else ''})"),
    ]
    return '<ul class="figures">' + "".join(f"<li><b>{v}</b><span>{label}</span></li>" for v, label in items) + "</ul>"


def _flags(evidence: Evidence) -> str:
    flags = evidence.flags
    rows = [
        ("Takedown recommended", yes_no(flags.takedown)),
        ("Copy sits in content-farm chrome", f"{_flag(flags.chrome)} (score {flags.chrome_score:.2f})"),
        ("Spun (words swapped for synonyms)", f"{_flag(flags.spun)} (score {flags.spun_score:.2f})"),
        ("Authorized (canonical link or allow-listed host)", _flag(flags.authorized)),
    ]
    reasons = "".join(f"<li>{esc(r)}</li>" for r in flags.reasons)
    return _kv(rows) + (f"<p>The classifier's reasons:</p><ul>{reasons}</ul>" if reasons else "")


def _timeline(evidence: Evidence) -> str:
    tl = evidence.timeline
    items = "".join(f'<li class="{esc(e.side)}"><span class="when">{esc(shown(e.when))}</span>'
                    f'<span class="side">{esc(e.side)}</span> {esc(e.what)}</li>' for e in tl.events)
    verdict = f'<div class="callout {"ok" if tl.original_first else "warn"}">{esc(tl.verdict)}</div>'
    return verdict + f'<ol class="timeline">{items}</ol>'


def _substitutions(subs: tuple[Substitution, ...]) -> str:
    if not subs:
        return "<p>None: the copied passages repeat the original's words without swapping any.</p>"
    total = sum(s.count for s in subs)
    items = "".join(f'<li><del class="sw">{esc(s.original)}</del> → <ins class="sw">{esc(s.replacement)}</ins>'
                    + (f' <span class="times">×{s.count}</span>' if s.count > 1 else "") + "</li>" for s in subs)
    return (f"<p>{total:,} swaps of {len(subs):,} kinds, most frequent first (original word → replacement in the"
            f' copy):</p><ul class="subs">{items}</ul>')


_TAGS = {"copied": ('<mark class="cp">', "</mark>"), "removed": ('<del class="rm" title="not in the copy">', "</del>"),
         "added": ('<ins class="ad" title="added by the copy">', "</ins>")}


def _segment(segment: Segment, side: str) -> str:
    if segment.kind == "changed":
        tag, verb = ("del", "replaced by") if side == "original" else ("ins", "replaces")
        return f'<{tag} class="sw" title="{verb}: {esc(segment.other)}">{esc(segment.text)}</{tag}>'
    opening, closing = _TAGS.get(segment.kind, ("", ""))
    return f"{opening}{esc(segment.text)}{closing}"


def _passage(view: PassageView) -> str:
    rows = "".join("<tr><td>" + "".join(_segment(s, "original") for s in row.original) + "</td><td>"
                   + "".join(_segment(s, "copy") for s in row.copy) + "</td></tr>" for row in view.rows)
    caption = (f"Passage {view.number}: {view.work_words:,} words of the original (characters {view.work_start:,}–"
               f"{view.work_end:,} of the registered text; {view.page_start:,}–{view.page_end:,} of the page's stored"
               f" text), {view.verbatim_words:,} of them copied word for word")
    return (f'<table class="sbs"><caption>{caption}</caption><thead><tr><th scope="col">Original (your text)</th>'
            f'<th scope="col">Copy (their page)</th></tr></thead><tbody>{rows}</tbody></table>')


LEGEND = ('<ul class="legend"><li><mark class="cp">copied word for word</mark></li>'
          '<li><del class="sw">original word</del> → <ins class="sw">replacement</ins> (spun)</li>'
          '<li><del class="rm">left out of the copy</del></li><li><ins class="ad">added by the copy</ins></li></ul>')


def copy_section(evidence: Evidence) -> str:
    """The whole section for one copy, headed with its number and URL."""
    copy = evidence.copy
    where = copy.final_url or copy.url or copy.key
    banner = ""
    if not evidence.recommended:
        banner = ('<p class="banner">Not recommended for takedown: detector judged this a quotation or an'
                  " authorized copy. It is shown because you asked for it by id, and it is left out of the notice.</p>")
    if evidence.page_changed:
        banner += ('<div class="callout info">The page has changed since detector first found this copy; the'
                   " figures and passages below describe the latest stored version.</div>")
    return (
        f'<section class="copy" id="copy-{evidence.number}"><h2>Copy {evidence.number}: '
        f'<span class="url">{esc(where)}</span></h2>{banner}'
        f"<p>Copies “{esc(evidence.original.title or 'untitled')}”: {esc(describe_copy(evidence))}."
        f" Match id {evidence.match_id} ({esc(evidence.state)}{': ' + esc(evidence.state_reason) if evidence.state_reason else ''}).</p>"
        f'<div class="pair"><div><h3>The original</h3>{_original(evidence.original)}</div>'
        f"<div><h3>The copy</h3>{_copy(copy)}</div></div>"
        f"<h3>How much was copied</h3>{_figures(evidence)}"
        f"<h3>Who came first</h3>{_timeline(evidence)}"
        f"<h3>Classifier flags</h3>{_flags(evidence)}"
        f"<h3>Words swapped for synonyms</h3>{_substitutions(evidence.substitutions)}"
        f"<h3>Side by side</h3>{LEGEND}" + "".join(_passage(v) for v in evidence.passages) + "</section>"
    )
