"""Plain text in, a Page out; and the block-joining rules every extractor shares.

A page saved as ``.txt`` has no markup to tell chrome from content, so nothing
is removed here: the text is only put into the same block shape as
:func:`detector.extract.extract_html` produces, so that offsets and matching
behave the same for both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .page import Page

__all__ = ["BLOCK_SEPARATOR", "collapse_whitespace", "extract_text", "join_blocks"]

BLOCK_SEPARATOR = "\n\n"
_SPLIT_LIMIT = 20_000
_ALL_SPACES = tuple(c for c in map(chr, range(0x3001)) if c.isspace() and c != " ")
_ASCII_SPACES = tuple(c for c in _ALL_SPACES if c.isascii())
_BLANK_LINE = re.compile(r"\n[ \t\f\v\u00a0\u3000]*\n")
_TITLE_MAX_CHARS = 150
_TITLE_MAX_WORDS = 20
_NOT_TITLE_END = (".", ";", ":", ",", "。", "，", "；")


def collapse_whitespace(text: str) -> str:
    """Collapse every run of whitespace (Unicode-aware) to one space and trim the ends.

    Long texts take a regex that only touches runs needing a change, so a
    50 MB text node is not split into millions of words first.
    """
    if "\x00" in text:
        text = text.replace("\x00", "")
    if len(text) < _SPLIT_LIMIT:
        return " ".join(text.split())
    for char in _ASCII_SPACES if text.isascii() else _ALL_SPACES:
        if char in text:
            text = text.replace(char, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip()


def join_blocks(blocks: Iterable[str]) -> str:
    """Join already-collapsed blocks with a blank line, dropping empty ones."""
    return BLOCK_SEPARATOR.join(b for b in blocks if b)


def text_blocks(text: str) -> list[str]:
    """Split plain text into blocks.

    When the text has blank lines, they separate paragraphs and the lines of one
    paragraph are joined (hard-wrapped prose becomes one block). Without any
    blank line, every non-empty line is its own block.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if _BLANK_LINE.search(text):
        chunks = _BLANK_LINE.split(text)
    else:
        chunks = text.split("\n")
    return [b for b in (collapse_whitespace(c) for c in chunks) if b]


def guess_title(blocks: list[str]) -> str | None:
    """The first block, when it is short and unpunctuated enough to read as a title."""
    if len(blocks) < 2:
        return None
    first = blocks[0]
    if len(first) > _TITLE_MAX_CHARS or len(first.split()) > _TITLE_MAX_WORDS:
        return None
    return None if first.endswith(_NOT_TITLE_END) else first


def extract_text(text: str) -> Page:
    """Turn plain text into a Page: blocks separated by a blank line, title guessed.

    Never raises on any ``str``; NUL characters and a leading byte-order mark
    are dropped, and ``\\r\\n`` / ``\\r`` line endings count as ``\\n``.
    """
    blocks = text_blocks(text)
    return Page(text=join_blocks(blocks), title=guess_title(blocks))
