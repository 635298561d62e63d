"""Tokenization with character offsets, and the spin-resistant skeleton of a token stream.

Every token keeps its position in the text it came from, so an alignment made
on tokens can be reported as character spans of the original strings: that is
what the side-by-side evidence highlights.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import FUNCTION_WORDS
from .normalize import fold

__all__ = ["Tokens", "tokenize", "skeleton", "immutable_flags", "MUTABLE"]

_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = re.compile(rf"[^\W_][\w{_MARKS}]*(?:['\u2019][^\W_][\w{_MARKS}]*)*")

#: The placeholder that stands for a run of content words in a skeleton.
MUTABLE = "*"


@dataclass(frozen=True, slots=True)
class Tokens:
    """The words of a text: folded values, and (start, end) character offsets into the text."""

    words: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    capitalized: tuple[bool, ...]

    def __len__(self) -> int:
        return len(self.words)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character span of tokens ``first`` to ``last`` inclusive."""
        return self.starts[first], self.ends[last]


def tokenize(text: str) -> Tokens:
    """Split ``text`` into word tokens, folded for comparison but located in the raw text."""
    found = list(_WORD.finditer(text))
    raws = [m.group() for m in found]
    words = tuple(map(_fold_cached, raws))
    starts = tuple([m.start() for m in found])
    ends = tuple([m.end() for m in found])
    caps = tuple([raw[0].isupper() for raw in raws])
    return Tokens(words, starts, ends, caps)


_fold_cached = lru_cache(maxsize=1 << 16)(fold)
_DIGIT = re.compile(r"\d")


def _immutable(word: str, capitalized: bool) -> bool:
    return capitalized or word in FUNCTION_WORDS or _DIGIT.search(word) is not None


def immutable_flags(tokens: Tokens) -> list[bool]:
    """For each token, whether a spinner would leave it alone (function word, number, name)."""
    return [_immutable(w, c) for w, c in zip(tokens.words, tokens.capitalized)]


def skeleton(tokens: Tokens) -> tuple[list[str], list[int]]:
    """Reduce a token stream to what a spinner leaves alone.

    Function words, numbers and capitalized words are kept; each run of other
    (content) words collapses to one :data:`MUTABLE` placeholder, so that a
    synonym swap, even one word for two, leaves the skeleton unchanged.
    Returns the skeleton symbols and, for each, the index of its first token.
    """
    symbols: list[str] = []
    positions: list[int] = []
    for index, (word, cap) in enumerate(zip(tokens.words, tokens.capitalized)):
        if _immutable(word, cap):
            symbols.append(word)
        elif symbols and symbols[-1] == MUTABLE:
            continue
        else:
            symbols.append(MUTABLE)
        positions.append(index)
    return symbols, positions
