"""Strip document markup (YAML/TOML front matter, Markdown) down to the prose a reader sees.

A scraper copies the rendered post, not its Markdown source, so a registered
Markdown file must be fingerprinted as the words a reader would see: link text
without the URL, headings without the hashes, no HTML tags, no front matter.
"""

from __future__ import annotations

import html
import re

__all__ = ["split_front_matter", "strip_markdown"]

#: ``---`` YAML (closed by ``---`` or YAML's ``...``) or ``+++`` TOML, possibly empty, at the very start.
_FRONT_MATTER = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\r?\n(?:(.*?)\r?\n)??(?:\1|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_FENCE = re.compile(r"^(```|~~~)")
#: (pattern, replacement, needles): a rule runs only on text holding one of its needles,
#: which spares most posts most of the passes.
_RULES: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (re.compile(r"<!--.*?-->", re.S), " ", ("<!--",)),
    (re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S), " ", ("{%", "{{")),  # Jekyll/Hugo template tags
    (re.compile(r"^\s*(import|export)\s+.*?(from\s+['\"].*?['\"])?;?\s*$", re.M), "", ("import", "export")),  # MDX
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1", ("![",)),  # images keep their alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1", ("](",)),  # inline links keep their text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1", ("][",)),  # reference links
    # link definitions go, with their title; footnotes keep their text, a reader sees it
    (re.compile(r"^\s*\[(?!\^)[^\]]+\]:\s+\S+(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*", re.M), "", ("]:",)),
    (re.compile(r"^\s*\[\^[^\]]+\]:[ \t]*", re.M), "", ("[^",)),
    (re.compile(r"\[\^[^\]\s]+\]"), "", ("[^",)),  # footnote marks
    (re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I), " ", ("<",)),
    (re.compile(r"</?[A-Za-z][^>]*>"), " ", ("<",)),  # inline HTML and JSX tags
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), "", ("#",)),  # ATX headings
    (re.compile(r"\s#+\s*$", re.M), "", ("#",)),  # closing hashes
    (re.compile(r"^\s*(=+|-+)\s*$", re.M), "", ("=", "-")),  # setext underlines and rules
    (re.compile(r"^\s*([*_]\s*){3,}$", re.M), "", ("*", "_")),  # thematic breaks
    (re.compile(r"^\s{0,3}>\s?", re.M), "", (">",)),  # blockquote markers
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.M), "", ("-", "*", "+", ".", ")")),  # list markers
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2", ("**", "__")),  # bold
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2", ("*", "_")),  # italics
    (re.compile(r"~~(.+?)~~"), r"\1", ("~~",)),
    (re.compile(r"`([^`\n]+)`"), r"\1", ("`",)),  # inline code keeps its text
    (re.compile(r"^\s*\|?[\s:|-]+\|[\s:|-]*$", re.M), "", ("|",)),  # table rules
    (re.compile(r"\s*\|\s*"), " ", ("|",)),  # table cells
]


def split_front_matter(text: str) -> tuple[str, str]:
    """Split ``text`` into (front matter source, body); the front matter is "" when absent.

    Only the delimiters are recognized here; parsing the YAML is the caller's job,
    which keeps this library free of a YAML dependency.
    """
    found = _FRONT_MATTER.match(text)
    if not found:
        return "", text
    return found.group(2) or "", text[found.end():]


def _drop_fenced_code(text: str) -> str:
    """Remove fenced code blocks: code is not prose and scrapers often mangle it."""
    kept: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        marker = _FENCE.match(line.strip())
        if marker and (fence is None or marker.group(1) == fence):
            fence = None if fence else marker.group(1)
            continue
        if fence is None:
            kept.append(line)
    return "\n".join(kept)


_HTML_BLOCK = re.compile(r"</?(?:p|div|li|ul|ol|h[1-6]|br|hr|tr|table|blockquote|section|figure|figcaption|pre)\b[^>]*>", re.I)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\||\[[^\]]+\]:\s)")


def _paragraphs(body: str) -> list[str]:
    """Group source lines into reader paragraphs: soft-wrapped lines join with a space,
    while each heading, list item, quote line and table row stays its own block."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in body.split("\n"):
        if not line.strip():
            if current:
                blocks.append(current)
            current = []
        elif _BLOCK_START.match(line):
            if current:
                blocks.append(current)
            current = [line]
            if _HEADING.match(line):
                blocks.append(current)
                current = []
        else:
            current.append(line.strip())
    if current:
        blocks.append(current)
    return [" ".join(lines) for lines in blocks]


def strip_markdown(text: str) -> str:
    """Return the reader-visible prose of a Markdown (or MDX) document, front matter removed.

    One block per paragraph, heading or list item, separated by blank lines;
    HTML entities are decoded.
    """
    _, body = split_front_matter(text)
    body = _drop_fenced_code(body.replace("\r\n", "\n"))
    body = _HTML_BLOCK.sub("\n\n", body)
    joined = "\n".join(_paragraphs(body))
    for pattern, replacement, needles in _RULES:
        if any(needle in joined for needle in needles):
            joined = pattern.sub(replacement, joined)
    kept = (" ".join(line.split()) for line in html.unescape(joined).split("\n"))
    return "\n\n".join(line for line in kept if line)
