"""Text normalization: the one canonical form every fingerprint is computed from.

Copies differ from their originals in ways that carry no meaning: curly versus
straight quotes, em dashes versus hyphens, non-breaking spaces, full-width
letters, letter case. Folding all of them here means the shingles of a scraped
copy hash to the same values as the original's.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize", "fold"]

_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u00b4": "'", "\u0060": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
        "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
    }
)
#: Cyrillic and Greek letters drawn like Latin ones. A scraper swaps a few into every word ("pаssword" with a
#: Cyrillic "а") so that no shingle matches while the page reads the same. They are read as Latin only inside a
#: word that also holds Latin letters: a Russian or Greek word is left alone, so its fingerprint never changes.
_CONFUSABLES = str.maketrans({
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y", "\u0445": "x",
    "\u0456": "i", "\u0458": "j", "\u0455": "s", "\u0501": "d", "\u04bb": "h", "\u04cf": "l", "\u051b": "q",
    "\u051d": "w", "\u0491": "r", "\u03bf": "o", "\u03b1": "a", "\u03b9": "i", "\u03ba": "k", "\u03bd": "v",
    "\u03c1": "p", "\u03c5": "u", "\u03c4": "t", "\u03b5": "e",
})
_CONFUSABLE_CHARS = frozenset(chr(c) for c in _CONFUSABLES)
_LATIN = re.compile(r"[a-z]")
_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def fold(word: str) -> str:
    """Fold one word to its canonical form (NFKC, case folding, quote and dash unification).

    Used per token, so that character offsets into the raw text stay valid while
    the token's value is normalized. A fixed point: ``fold(fold(w)) == fold(w)``.
    Cyrillic and Greek look-alikes in a word that also holds Latin letters are read as Latin.
    """
    if word.isascii() and "`" not in word:  # NFKC leaves ASCII alone, and the only ASCII the map changes is "`"
        return word.lower()
    word = _fold_chars(word)
    if not _CONFUSABLE_CHARS.isdisjoint(word) and _LATIN.search(word):
        word = word.translate(_CONFUSABLES)
    return word


def _fold_chars(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = unicodedata.normalize("NFKC", text).casefold().translate(_CHAR_MAP)
    return text


def normalize(text: str) -> str:
    """Return the canonical form of a whole text: folded, with runs of spaces collapsed.

    Paragraph breaks survive as single blank lines because the block structure is
    evidence too. Idempotent: ``normalize(normalize(t)) == normalize(t)``.
    """
    text = _fold_chars(text)  # what fold does to each word, but look-alike letters, which fold judges per word
    text = _SPACE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()
