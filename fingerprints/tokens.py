"""Tokenization with character offsets, and the spin-resistant skeleton of a token stream.

Every token keeps its position in the text it came from, so an alignment made
on tokens can be reported as character spans of the original strings: that is
what the side-by-side evidence highlights.
"""

from __future__ import annotations

import re

from .lexicon import FUNCTION_WORDS
from .memo import Memo, positions
from .signature import symbol_hash
from .normalize import fold

__all__ = ["Tokens", "tokenize", "skeleton", "MUTABLE"]

_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = re.compile(rf"[^\W_][\w{_MARKS}]*(?:['\u2019][^\W_][\w{_MARKS}]*)*")

#: Where a sentence ends: closing punctuation followed by white space, or a line break.
_BOUNDARY = re.compile(r"[.!?;:\u2026]+[\"'\u201d\u2019)\]]*(?=\s|$)|\n")
#: Words and sentence ends in one scan: a word is captured, a sentence end matches empty.
#: The two never overlap (a word starts with a letter or digit, an end with punctuation).
_WORD_OR_BOUNDARY = re.compile(rf"({_WORD.pattern})|(?:{_BOUNDARY.pattern})")

#: The placeholder that stands for a run of content words in a skeleton.
MUTABLE = "*"


class Tokens:
    """The words of a text: folded values, what a spinner leaves alone, and (start, end) offsets into the text.

    Offsets are found on first use: most pages are fingerprinted and looked
    up but never aligned, and only alignment needs them.
    """

    __slots__ = ("words", "hashes", "immutable", "breaks", "_text", "_starts", "_ends")

    def __init__(self, words: tuple[str, ...], hashes: tuple[int, ...], immutable: tuple[bool, ...],
                 breaks: tuple[int, ...], text: str) -> None:
        self.words = words
        #: Per word, the 32-bit symbol hash of its folded form.
        self.hashes = hashes
        #: Per word, whether a spinner leaves it alone: a function word, a number or a capitalized word.
        self.immutable = immutable
        #: Token indices where a sentence (or line) ends: the cuts of :func:`fingerprints.blocks.sentence_blocks`.
        self.breaks = breaks
        self._text = text
        self._starts: tuple[int, ...] | None = None
        self._ends: tuple[int, ...] | None = None

    def _locate(self) -> None:
        found = list(_WORD.finditer(self._text))
        self._starts = tuple([m.start() for m in found])
        self._ends = tuple([m.end() for m in found])

    @property
    def starts(self) -> tuple[int, ...]:
        if self._starts is None:
            self._locate()
        return self._starts  # type: ignore[return-value]  # set by _locate

    @property
    def ends(self) -> tuple[int, ...]:
        if self._ends is None:
            self._locate()
        return self._ends  # type: ignore[return-value]  # set by _locate

    def __len__(self) -> int:
        return len(self.words)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tokens) and (self.words, self.starts, self.ends) == (other.words, other.starts, other.ends)

    __hash__ = None  # type: ignore[assignment]  # mutable cache inside

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character span of tokens ``first`` to ``last`` inclusive."""
        return self.starts[first], self.ends[last]


def tokenize(text: str) -> Tokens:
    """Split ``text`` into word tokens, folded for comparison but located in the raw text.

    Sentence breaks are noted on the way: a token never straddles one, since a
    break is punctuation followed by white space, or a line end.
    """
    found = _WORD_OR_BOUNDARY.findall(text)
    raws = list(filter(None, found))
    # the k-th sentence end sits at index j of ``found``, after j - k words
    ends = tuple([j - k for k, j in enumerate(positions(found, ""))])
    words, hashes, immutable = zip(*_WORD_INFO.map(raws)) if raws else ((), (), ())
    return Tokens(words, hashes, immutable, ends, text)


_DIGIT = re.compile(r"\d")


def _kept_word(word: str) -> bool:
    """Whether a spinner leaves a (folded) word alone whatever its case: function words and numbers."""
    return word in FUNCTION_WORDS or (not word.isalpha() and _DIGIT.search(word) is not None)


def _word_info(raw: str) -> tuple[str, int, bool]:
    """A raw word's folded form, the folded form's symbol hash, and whether a spinner leaves it alone
    (capitalized, or a kept word): all three depend on the raw word alone, so one cache hit gives them."""
    word = fold(raw)
    return word, symbol_hash(word), raw[0].isupper() or _kept_word(word)


_WORD_INFO: Memo[str, tuple[str, int, bool]] = Memo(_word_info)


def skeleton(tokens: Tokens) -> tuple[list[str], list[int]]:
    """Reduce a token stream to what a spinner leaves alone.

    Function words, numbers and capitalized words are kept; each run of other
    (content) words collapses to one :data:`MUTABLE` placeholder, so that a
    synonym swap, even one word for two, leaves the skeleton unchanged.
    Returns the skeleton symbols and, for each, the index of its first token.
    """
    symbols: list[str] = []
    positions: list[int] = []
    for index, (word, keep) in enumerate(zip(tokens.words, tokens.immutable)):
        if keep:
            symbols.append(word)
        elif symbols and symbols[-1] == MUTABLE:
            continue
        else:
            symbols.append(MUTABLE)
        positions.append(index)
    return symbols, positions
