"""Tokenization with character offsets, and the spin-resistant skeleton of a token stream.

Every token keeps its position in the text it came from, so an alignment made
on tokens can be reported as character spans of the original strings: that is
what the side-by-side evidence highlights.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

import numpy as np

from .lexicon import FUNCTION_WORDS
from .memo import positions
from .signature import symbol_hash
from .normalize import fold

__all__ = ["Tokens", "tokenize", "skeleton", "MUTABLE"]

#: Combining marks, and the invisible characters that may sit inside a word: a soft hyphen (CMS hyphenation,
#: or a scraper's trick to break every shingle), zero-width spaces and joiners. :func:`fold` drops the latter.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u00ad\u200b-\u200d\u2060\ufeff"
_WORD = re.compile(rf"[^\W_][\w{_MARKS}]*(?:['\u2019][^\W_][\w{_MARKS}]*)*")

#: Where a sentence ends: closing punctuation followed by white space, or a line break.
_BOUNDARY = re.compile(r"[.!?;:\u2026]+[\"'\u201d\u2019)\]]*(?=\s|$)|\n")
#: Words and sentence ends in one scan: a word is captured, a sentence end matches empty.
#: The two never overlap (a word starts with a letter or digit, an end with punctuation).
_WORD_OR_BOUNDARY = re.compile(rf"({_WORD.pattern})|(?:{_BOUNDARY.pattern})")

#: The placeholder that stands for a run of content words in a skeleton.
MUTABLE = "*"


class _Vocabulary:
    """Every distinct raw word met so far, numbered, with what tokenizing needs of it.

    Folding, hashing and classifying a word depend on the raw word alone, and
    most of a page's words were met before. Numbering them lets a text's hashes
    and flags be gathered by numpy in one step, where a cache of per-word
    tuples cost a Python-level transpose of every token (a fifth of a page's
    fingerprint). Misses are added under a lock, so two threads never give
    one number to two words.
    """

    __slots__ = ("numbers", "words", "_hashes", "_kept", "_function", "_lock")

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.words: list[str] = []
        self._hashes = np.empty(1024, dtype=np.uint32)
        self._kept = np.empty(1024, dtype=bool)
        self._function = np.empty(1024, dtype=bool)
        self._lock = threading.Lock()

    def number(self, raws: list[str]) -> list[int]:
        """The number of each raw word, adding the new ones."""
        numbers: list[int | None] = list(map(self.numbers.get, raws))
        missing = list(positions(numbers, None))  # the words not met before
        if missing:
            self._add(dict.fromkeys([raws[index] for index in missing]))
            known = self.numbers
            for index in missing:
                numbers[index] = known[raws[index]]
        return numbers  # type: ignore[return-value]  # every None was filled

    def _add(self, raws: Iterable[str]) -> None:
        """Number new raw words, all at once: a page brings dozens, and numpy assigns them in one step each."""
        with self._lock:
            new = [raw for raw in raws if raw not in self.numbers]  # another thread may have added some
            if not new:
                return
            words = [fold(raw) for raw in new]
            start, end = len(self.words), len(self.words) + len(new)
            if end > len(self._hashes):
                size = max(end, 2 * len(self._hashes))
                self._hashes, self._kept, self._function = (
                    np.resize(self._hashes, size), np.resize(self._kept, size), np.resize(self._function, size))
            self._hashes[start:end] = [symbol_hash(word) for word in words]
            self._kept[start:end] = [raw[0].isupper() or _kept_word(word) for raw, word in zip(new, words)]
            self._function[start:end] = [word in FUNCTION_WORDS for word in words]
            self.words.extend(words)
            self.numbers.update(zip(new, range(start, end)))  # last: a number is readable only once its values are

    def hashes(self, numbers: np.ndarray) -> np.ndarray:
        return self._hashes[numbers]

    def kept(self, numbers: np.ndarray) -> np.ndarray:
        return self._kept[numbers]

    def function(self, numbers: np.ndarray) -> np.ndarray:
        return self._function[numbers]

    def __len__(self) -> int:
        return len(self.words)


#: A crawl meets new words forever (names, typos, other languages): past this many, numbering starts afresh.
#: Tokens made earlier keep the vocabulary they were numbered in.
_VOCABULARY_LIMIT = 1 << 17
_vocabulary = _Vocabulary()


class Tokens:
    """The words of a text: folded values, what a spinner leaves alone, and (start, end) offsets into the text.

    Offsets and the folded words themselves are found on first use: most pages
    are fingerprinted and looked up but never aligned, and only alignment needs
    them. Fingerprinting needs the hashes and flags, which are numpy arrays.
    """

    __slots__ = ("hashes", "immutable", "function", "breaks", "_text", "_numbers", "_vocabulary", "_words", "_starts", "_ends")

    def __init__(self, numbers: list[int], vocabulary: _Vocabulary, breaks: tuple[int, ...], text: str) -> None:
        index = np.array(numbers, dtype=np.intp)
        #: Per word, the 32-bit symbol hash of its folded form (uint32).
        self.hashes: np.ndarray = vocabulary.hashes(index)
        #: Per word, whether a spinner leaves it alone: a function word, a number or a capitalized word (bool).
        self.immutable: np.ndarray = vocabulary.kept(index)
        #: Per word, whether it is a function word (bool): bigrams of two are weak evidence of copying.
        self.function: np.ndarray = vocabulary.function(index)
        #: Token indices where a sentence (or line) ends: the cuts of :func:`fingerprints.blocks.sentence_blocks`.
        self.breaks = breaks
        self._text = text
        self._numbers: list[int] | None = numbers
        self._vocabulary: _Vocabulary | None = vocabulary
        self._words: tuple[str, ...] | None = None
        self._starts: tuple[int, ...] | None = None
        self._ends: tuple[int, ...] | None = None

    @property
    def words(self) -> tuple[str, ...]:
        """The folded words, in order."""
        if self._words is None:
            assert self._numbers is not None and self._vocabulary is not None  # dropped only once words are set
            self._words = tuple(map(self._vocabulary.words.__getitem__, self._numbers))
            self._numbers = self._vocabulary = None  # a long-kept work's tokens need not hold a whole vocabulary
        return self._words

    def _locate(self) -> None:
        found = list(_WORD.finditer(self._text))
        self._starts = tuple(map(re.Match.start, found))  # a C-level map: no Python frame per word
        self._ends = tuple(map(re.Match.end, found))

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
        return len(self.hashes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tokens) and (self.words, self.starts, self.ends) == (other.words, other.starts, other.ends)

    __hash__ = None  # type: ignore[assignment]  # mutable cache inside

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as its text: the vocabulary it points into is this process's own."""
        return tokenize, (self._text,)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character span of tokens ``first`` to ``last`` inclusive."""
        return self.starts[first], self.ends[last]


def tokenize(text: str) -> Tokens:
    """Split ``text`` into word tokens, folded for comparison but located in the raw text.

    Sentence breaks are noted on the way: a token never straddles one, since a
    break is punctuation followed by white space, or a line end.
    """
    global _vocabulary
    found = _WORD_OR_BOUNDARY.findall(text)
    raws = list(filter(None, found))
    # the k-th sentence end sits at index j of ``found``, after j - k words
    ends = tuple([j - k for k, j in enumerate(positions(found, ""))])
    vocabulary = _vocabulary
    if len(vocabulary) >= _VOCABULARY_LIMIT:
        vocabulary = _vocabulary = _Vocabulary()
    return Tokens(vocabulary.number(raws), vocabulary, ends, text)


_DIGIT = re.compile(r"\d")


def _kept_word(word: str) -> bool:
    """Whether a spinner leaves a (folded) word alone whatever its case: function words and numbers."""
    return word in FUNCTION_WORDS or (not word.isalpha() and _DIGIT.search(word) is not None)


def skeleton(tokens: Tokens) -> tuple[list[str], list[int]]:
    """Reduce a token stream to what a spinner leaves alone.

    Function words, numbers and capitalized words are kept; each run of other
    (content) words collapses to one :data:`MUTABLE` placeholder, so that a
    synonym swap, even one word for two, leaves the skeleton unchanged.
    Returns the skeleton symbols and, for each, the index of its first token.
    """
    symbols: list[str] = []
    positions: list[int] = []
    for index, (word, keep) in enumerate(zip(tokens.words, tokens.immutable.tolist())):
        if keep:
            symbols.append(word)
        elif symbols and symbols[-1] == MUTABLE:
            continue
        else:
            symbols.append(MUTABLE)
        positions.append(index)
    return symbols, positions
