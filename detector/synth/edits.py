"""Copies that change the text but are not spun: light edits and rewordings.

The spin flag must tell a spinner's synonym swaps apart from a copier who
fixed a few typos, and from a writer who reworded whole sentences (changing
function words and word order, not only content words). These builders make
the negatives the spin model learns that difference from.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from .chrome import content_farm
from .copies import Example, _in_real_page, _label, work_paragraphs
from .corpus import CorpusPage, CorpusPost
from .spinner import spin

__all__ = ["light_edit", "reworded", "typo"]

_WORD = re.compile(r"[A-Za-z]{4,}")
_SWAPS = {"the": "a", "a": "the", "is": "was", "was": "is", "and": "but", "but": "and", "this": "that",
          "that": "this", "in": "on", "on": "in", "can": "could", "will": "would", "we": "they", "our": "their"}


def typo(word: str, rng: random.Random) -> str:
    """A plausible slip of the keyboard: two letters swapped, or one doubled or dropped."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1:]


def _light(text: str, rate: float, rng: random.Random) -> str:
    return _WORD.sub(lambda m: typo(m.group(), rng) if rng.random() < rate else m.group(), text)


def _reword_sentence(sentence: str, rng: random.Random) -> str:
    """Reorder clauses, swap function words and some content words: a human rewrite."""
    clauses = [c.strip() for c in sentence.rstrip(".!?").split(",") if c.strip()]
    if len(clauses) > 1:
        rng.shuffle(clauses)
    words = " ".join(clauses).split()
    words = [_SWAPS.get(w.lower(), w) if rng.random() < 0.5 else w for w in words]
    if len(words) > 6:
        cut = rng.randrange(2, len(words) - 2)
        words = words[cut:] + words[:cut]
    rewritten, _ = spin(" ".join(words), 0.2, rng)
    return rewritten[:1].upper() + rewritten[1:] + "."


def _dress(post: CorpusPost, paragraphs: list[str], pages: Sequence[CorpusPage], rng: random.Random) -> tuple[bytes, str]:
    if pages and rng.random() < 0.5:
        return _in_real_page(pages, post.title, paragraphs, rng)
    return content_farm(post.title, paragraphs, rng), "farm"


def light_edit(post: CorpusPost, rng: random.Random, pages: Sequence[CorpusPage] = ()) -> Example:
    """The whole post with typos introduced or fixed in 1-4% of its longer words: still a verbatim copy."""
    paragraphs = work_paragraphs(post)
    rate = rng.uniform(0.01, 0.04)
    edited = [_light(p, rate, rng) for p in paragraphs]
    page, host = _dress(post, edited, pages, rng)
    return Example("light_edit", page, post.path, _label("full", range(len(paragraphs)), host=host, edit_rate=rate))


def reworded(post: CorpusPost, rng: random.Random, pages: Sequence[CorpusPage] = ()) -> Example:
    """Every sentence rewritten (order, function words, some synonyms): not a spun copy.

    Its extent is not labelled: whether enough survives to count as a copy
    is exactly what is uncertain. Only the spin flag is judged on it.
    """
    paragraphs = work_paragraphs(post)
    rewritten = [" ".join(_reword_sentence(s, rng) for s in re.split(r"(?<=[.!?])\s+", p) if s.strip())
                 for p in paragraphs]
    page, host = _dress(post, rewritten, pages, rng)
    label = _label(None, [], host=host)
    label["extent_unlabelled"] = True
    return Example("reworded", page, post.path, label)
