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
_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def fold(word: str) -> str:
    """Fold one word to its canonical form (NFKC, case folding, quote and dash unification).

    Used per token, so that character offsets into the raw text stay valid while
    the token's value is normalized. A fixed point: ``fold(fold(w)) == fold(w)``.
    """
    if word.isascii() and "`" not in word:  # NFKC leaves ASCII alone, and the only ASCII the map changes is "`"
        return word.lower()
    previous = None
    while previous != word:
        previous = word
        word = unicodedata.normalize("NFKC", word).casefold().translate(_CHAR_MAP)
    return word


def normalize(text: str) -> str:
    """Return the canonical form of a whole text: folded, with runs of spaces collapsed.

    Paragraph breaks survive as single blank lines because the block structure is
    evidence too. Idempotent: ``normalize(normalize(t)) == normalize(t)``.
    """
    text = fold(text)
    text = _SPACE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()
