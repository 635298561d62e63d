"""Passage alignment: which stretches of a page copy which stretches of a work.

Seed and chain, as in sequence alignment: every word bigram the two texts
share is a seed; seeds that follow each other closely on nearly the same
diagonal (page position minus work position) chain into one passage. A
verbatim copy is one dense chain. A spun copy still leaves a shared bigram
every two or three words, and the allowed gaps and diagonal drift absorb the
swapped words and the odd one-for-two substitution. Chance seeds between
unrelated texts do not line up on a diagonal, so they never form a passage.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import FUNCTION_WORDS
from .tokens import Tokens

__all__ = ["Passage", "align", "AlignParams"]


@dataclass(frozen=True, slots=True)
class AlignParams:
    """Tuning of the chaining; the defaults were set on non-holdout corpus copies."""

    max_gap: int = 14  # words between two seeds of one passage
    max_drift: int = 4  # change of diagonal between two seeds
    min_seeds: int = 3
    min_words: int = 8  # shortest passage, in work words
    min_shared: int = 8  # words found verbatim in the passage; chance overlaps share fewer
    min_density: float = 0.4  # shared words / passage length
    max_occurrences: int = 6  # a bigram seen more often in the work is not a seed


@dataclass(frozen=True, slots=True)
class Passage:
    """A copied stretch: work tokens ``[work_first, work_last]`` ~ page tokens ``[page_first, page_last]``.

    ``work_start``/``work_end`` and ``page_start``/``page_end`` are character
    offsets (end exclusive) into the two texts. ``shared`` counts the words of
    the passage found verbatim in the copy.
    """

    work_first: int
    work_last: int
    page_first: int
    page_last: int
    work_start: int
    work_end: int
    page_start: int
    page_end: int
    shared: int

    @property
    def work_words(self) -> int:
        return self.work_last - self.work_first + 1


def _seeds(work: Tokens, page: Tokens, params: AlignParams) -> list[tuple[int, int]]:
    """All (work index, page index) pairs where the two texts share a bigram."""
    positions: dict[tuple[str, str], list[int]] = {}
    w = work.words
    for i in range(len(w) - 1):
        positions.setdefault((w[i], w[i + 1]), []).append(i)
    p = page.words
    seeds: list[tuple[int, int]] = []
    for j in range(len(p) - 1):
        found = positions.get((p[j], p[j + 1]))
        if not found or len(found) > params.max_occurrences:
            continue
        if len(found) > 2 and p[j] in FUNCTION_WORDS and p[j + 1] in FUNCTION_WORDS:
            continue
        seeds.extend((i, j) for i in found)
    return seeds


def _chains(seeds: list[tuple[int, int]], params: AlignParams) -> list[list[tuple[int, int]]]:
    """Group seeds (sorted by page position) into chains along drifting diagonals."""
    seeds.sort(key=lambda s: (s[1], s[0]))
    open_chains: list[list[tuple[int, int]]] = []
    done: list[list[tuple[int, int]]] = []
    for i, j in seeds:
        best: list[tuple[int, int]] | None = None
        best_cost = params.max_drift + 1
        still_open = []
        for chain in open_chains:
            li, lj = chain[-1]
            if j - lj > params.max_gap:
                done.append(chain)
                continue
            still_open.append(chain)
            if 0 < i - li <= params.max_gap and 0 < j - lj:
                drift = abs((j - i) - (lj - li))
                if drift < best_cost:
                    best, best_cost = chain, drift
        open_chains = still_open
        if best is not None:
            best.append((i, j))
        else:
            open_chains.append([(i, j)])
    return done + open_chains


def _extend(chain: list[tuple[int, int]], work: Tokens, page: Tokens) -> tuple[int, int, int, int]:
    """Widen a chain over exact word matches at both ends; returns first/last work and page tokens."""
    wf, pf = chain[0]
    wl, pl = chain[-1][0] + 1, chain[-1][1] + 1
    while wf > 0 and pf > 0 and work.words[wf - 1] == page.words[pf - 1]:
        wf, pf = wf - 1, pf - 1
    while wl + 1 < len(work) and pl + 1 < len(page) and work.words[wl + 1] == page.words[pl + 1]:
        wl, pl = wl + 1, pl + 1
    return wf, wl, pf, pl


def align(work: Tokens, page: Tokens, params: AlignParams = AlignParams()) -> list[Passage]:
    """Return the passages of ``page`` that copy ``work``, in page order, non-overlapping in the page."""
    passages: list[Passage] = []
    for chain in _chains(_seeds(work, page, params), params):
        if len(chain) < params.min_seeds:
            continue
        wf, wl, pf, pl = _extend(chain, work, page)
        shared = len({i for i, _ in chain} | {i + 1 for i, _ in chain})
        length = wl - wf + 1
        if (length < params.min_words or shared < params.min_shared
                or shared / max(length, pl - pf + 1) < params.min_density):
            continue
        passages.append(
            Passage(wf, wl, pf, pl, work.starts[wf], work.ends[wl], page.starts[pf], page.ends[pl], shared)
        )
    passages.sort(key=lambda x: (-x.shared, x.page_first))
    kept: list[Passage] = []
    for candidate in passages:
        if all(candidate.page_last < k.page_first or candidate.page_first > k.page_last for k in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda x: x.page_first)
