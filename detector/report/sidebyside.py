"""The side-by-side view: each matched passage, word by word, original against copy.

The stored passages give character offsets into the registered text and the
page's stored text. Inside each passage the two word sequences are compared
word by word, so every word of the copy is either copied, a replacement for
a word of the original (a spinner's synonym), or added; the view and the
substitution list are both read off that one comparison, so they always agree.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from fingerprints import Tokens, tokenize

from .model import PassageView, Row, Segment, Substitution

__all__ = ["side_by_side", "SideBySide"]

#: A replaced stretch this short (in words, each side) is a substitution; longer ones are rewording.
MAX_SUBSTITUTION_WORDS = 4
#: A row without a paragraph break is cut at the next sentence end after this many words.
ROW_WORDS = 80
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s")


@dataclass(frozen=True)
class SideBySide:
    """The passage views, the substitution list, and the original's length in words as the matcher counts them."""

    passages: tuple[PassageView, ...]
    substitutions: tuple[Substitution, ...]
    work_words: int


@dataclass(frozen=True)
class _Side:
    """Per-token comparison results for one text: kind and op number of every token in the passage."""

    text: str
    tokens: Tokens
    span: tuple[int, int]
    kinds: dict[int, str]
    groups: dict[int, int]
    others: dict[int, str]


def _token_range(tokens: Tokens, start: int, end: int) -> tuple[int, int]:
    """Tokens lying inside the character span [start, end)."""
    return bisect_left(tokens.starts, start), bisect_right(tokens.ends, end)


def _raw(side_text: str, tokens: Tokens, lo: int, hi: int) -> str:
    return side_text[tokens.starts[lo]:tokens.ends[hi - 1]] if hi > lo else ""


def side_by_side(work_text: str, page_text: str, passages: list[dict[str, int]]) -> SideBySide:
    """The passage views and the substitution list (most frequent first) of one match."""
    work, page = tokenize(work_text), tokenize(page_text)
    views = []
    pairs: Counter[tuple[str, str]] = Counter()
    shown: dict[tuple[str, str], tuple[str, str]] = {}
    for number, passage in enumerate(passages, 1):
        i0, i1 = _token_range(work, passage["work_start"], passage["work_end"])
        j0, j1 = _token_range(page, passage["page_start"], passage["page_end"])
        ops = difflib.SequenceMatcher(None, work.words[i0:i1], page.words[j0:j1], autojunk=False).get_opcodes()
        ops = [(tag, a1 + i0, a2 + i0, b1 + j0, b2 + j0) for tag, a1, a2, b1, b2 in ops]
        left = _Side(work_text, work, (passage["work_start"], passage["work_end"]), {}, {}, {})
        right = _Side(page_text, page, (passage["page_start"], passage["page_end"]), {}, {}, {})
        for index, (tag, a1, a2, b1, b2) in enumerate(ops):
            _mark(left, right, index, tag, (a1, a2), (b1, b2))
            if tag == "replace" and a2 - a1 <= MAX_SUBSTITUTION_WORDS and b2 - b1 <= MAX_SUBSTITUTION_WORDS:
                key = (" ".join(work.words[a1:a2]), " ".join(page.words[b1:b2]))
                pairs[key] += 1
                shown.setdefault(key, (_raw(work_text, work, a1, a2), _raw(page_text, page, b1, b2)))
        runs = [a2 - a1 for tag, a1, a2, _, _ in ops if tag == "equal"]
        rows = tuple(_row(left, right, w, p) for w, p in _cuts(work_text, work, ops, i0, i1, j0, j1))
        views.append(PassageView(number, passage["work_start"], passage["work_end"], passage["page_start"],
                                 passage["page_end"], i1 - i0, sum(runs), max(runs, default=0), rows))
    order = {key: n for n, key in enumerate(shown)}
    substitutions = tuple(Substitution(shown[key][0], shown[key][1], count)
                          for key, count in sorted(pairs.items(), key=lambda kv: (-kv[1], order[kv[0]])))
    return SideBySide(tuple(views), substitutions, len(work))


def _mark(left: _Side, right: _Side, index: int, tag: str, a: tuple[int, int], b: tuple[int, int]) -> None:
    """Record one comparison op on both sides."""
    kinds = {"equal": ("copied", "copied"), "replace": ("changed", "changed"), "delete": ("removed", ""),
             "insert": ("", "added")}[tag]
    left_other, right_other = _raw(right.text, right.tokens, *b), _raw(left.text, left.tokens, *a)
    for side, (lo, hi), kind, other in ((left, a, kinds[0], left_other), (right, b, kinds[1], right_other)):
        for k in range(lo, hi):
            side.kinds[k] = kind
            side.groups[k] = index
            if kind == "changed":
                side.others[k] = other


def _cuts(text: str, tokens: Tokens, ops: Sequence[tuple[str, int, int, int, int]], i0: int, i1: int, j0: int,
          j1: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Row boundaries: at the original's paragraph breaks (or sentence ends in long paragraphs), on both sides.

    A row may only end where both texts can end together: between two ops,
    or inside a run of copied words.
    """
    page_at: dict[int, int] = {}
    for tag, a1, a2, b1, _ in reversed(ops):
        page_at[a1] = b1
        if tag == "equal":
            page_at.update({k: b1 + k - a1 for k in range(a1 + 1, a2)})
    cuts = [(i0, j0)]
    for k in range(i0 + 1, i1):
        gap = text[tokens.ends[k - 1]:tokens.starts[k]]
        long_row = k - cuts[-1][0] >= ROW_WORDS and _SENTENCE_END.search(gap)
        if k in page_at and ("\n" in gap or long_row):
            cuts.append((k, page_at[k]))
    cuts.append((i1, j1))
    return [((w0, w1), (p0, p1)) for (w0, p0), (w1, p1) in zip(cuts, cuts[1:])]


def _segments(side: _Side, lo: int, hi: int) -> tuple[Segment, ...]:
    """Tokens ``lo``..``hi`` as segments: one per run of the same op, with the text between runs as plain."""
    segments: list[Segment] = []
    start = lo
    while start < hi:
        end = start + 1
        while end < hi and side.groups.get(end) == side.groups.get(start):
            end += 1
        if segments:
            between = side.text[side.tokens.ends[start - 1]:side.tokens.starts[start]]
            if between:
                segments.append(Segment("plain", between))
        segments.append(Segment(side.kinds.get(start) or "plain", _raw(side.text, side.tokens, start, end),
                                side.others.get(start, "")))
        start = end
    return tuple(segments)


def _edges(side: _Side, lo: int, hi: int) -> tuple[str, str]:
    """The punctuation a row's first word opens with and its last word closes with (a quote, a full stop).

    Between two rows, the text up to the paragraph break (or the first space)
    closes the earlier row and the rest opens the later one.
    """
    if hi <= lo:
        return "", ""
    tokens = side.tokens
    before = side.text[max(side.span[0], tokens.ends[lo - 1] if lo else 0):tokens.starts[lo]]
    after_end = tokens.starts[hi] if hi < len(tokens) else len(side.text)
    after = side.text[tokens.ends[hi - 1]:min(side.span[1], after_end)]
    lead = re.split(r"\n|\s+", before)[-1] if before else ""
    trail = re.split(r"\n|\s+", after)[0] if after else ""
    return lead, trail


def _with_edges(side: _Side, lo: int, hi: int) -> tuple[Segment, ...]:
    lead, trail = _edges(side, lo, hi)
    return ((Segment("plain", lead),) if lead else ()) + _segments(side, lo, hi) + (
        (Segment("plain", trail),) if trail else ())


def _row(left: _Side, right: _Side, work: tuple[int, int], page: tuple[int, int]) -> Row:
    return Row(_with_edges(left, *work), _with_edges(right, *page))
