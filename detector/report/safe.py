"""Making scraped text inert and honest before it goes into a report.

Everything a page gave us (its text, title, byline, URL, headers, and the
reasons built from them) is untrusted. Escaping stops markup from running;
revealing invisible characters stops a right-to-left override or a
zero-width space from disguising a URL or a quotation in the evidence.
"""

from __future__ import annotations

import html
import re

__all__ = ["reveal", "esc", "md_code", "md_block"]

_NAMES = {
    "\u200b": "ZWSP", "\u200c": "ZWNJ", "\u200d": "ZWJ", "\u2060": "WJ", "\ufeff": "BOM", "\u00ad": "SHY",
    "\u200e": "LRM", "\u200f": "RLM", "\u061c": "ALM", "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF",
    "\u202d": "LRO", "\u202e": "RLO", "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI",
}
_HIDDEN = re.compile("[" + "".join(_NAMES) + "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def _name(match: re.Match[str]) -> str:
    char = match.group()
    return f"\u27e8{_NAMES.get(char) or f'U+{ord(char):04X}'}\u27e9"


def reveal(value: object) -> str:
    """``value`` as text, with invisible and direction-changing characters shown as ⟨NAME⟩."""
    return _HIDDEN.sub(_name, "" if value is None else str(value))


def esc(value: object) -> str:
    """Untrusted text for HTML element content or a quoted attribute value."""
    return html.escape(reveal(value), quote=True)


def md_code(value: object) -> str:
    """Untrusted text as one Markdown code span: no Markdown or HTML in it is ever interpreted."""
    text = " ".join(reveal(value).split())
    if not text:
        return "-"
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def md_block(value: object) -> str:
    """Untrusted text as a fenced Markdown block, fenced longer than any backtick run inside it."""
    text = reveal(value)
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence}text\n{text}\n{fence}"
