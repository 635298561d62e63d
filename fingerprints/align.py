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

import numpy as np

from .tokens import Tokens

__all__ = ["Passage", "align", "AlignParams", "Bigrams", "bigrams"]


@dataclass(frozen=True, slots=True)
class AlignParams:
    """Tuning of the chaining; the defaults were set on non-holdout corpus copies."""

    max_gap: int = 14  # words between two seeds of one passage
    max_drift: int = 4  # change of diagonal between two seeds
    min_seeds: int = 3
    min_words: int = 8  # shortest passage, in work words
    min_shared: int = 10  # words found verbatim in the passage; chance overlaps share fewer
    min_density: float = 0.4  # shared words / passage length
    max_occurrences: int = 6  # a bigram seen more often in the work is not a seed
    merge_gap: int = 40  # words between two passages in the same order that still make one copy


@dataclass(frozen=True, slots=True)
class Passage:
    """A copied stretch: work tokens ``[work_first, work_last]`` ~ page tokens ``[page_first, page_last]``.

    ``work_start``/``work_end`` and ``page_start``/``page_end`` are character
    offsets (end exclusive) into the two texts. ``shared`` counts the words of
    the passage found verbatim in the copy; ``anchors`` are those words as
    (work index, page index) pairs in order, and the gaps between them are
    where the copy differs (the substitutions of a spun copy).
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
    anchors: tuple[tuple[int, int], ...] = ()

    @property
    def work_words(self) -> int:
        return self.work_last - self.work_first + 1


@dataclass(frozen=True, slots=True)
class Bigrams:
    """The word bigrams of a text, sorted, for finding where a page's bigrams occur in it.

    A bigram is the pair of its words' 32-bit symbol hashes in one 64-bit key,
    so a lookup is a numpy search instead of a Python loop over the page.
    """

    keys: np.ndarray  # sorted
    starts: np.ndarray  # the token index each key starts at; ascending among equal keys


def _bigram_keys(tokens: Tokens) -> np.ndarray:
    hashes = tokens.hashes.astype(np.uint64)
    return (hashes[:-1] << np.uint64(32)) | hashes[1:]


def bigrams(tokens: Tokens) -> Bigrams:
    """The sorted bigrams of a text; worth caching for a text aligned again and again."""
    keys = _bigram_keys(tokens)
    order = np.argsort(keys, kind="stable")
    return Bigrams(keys[order], order)


def _seeds(work: Tokens, page: Tokens, params: AlignParams, index: Bigrams | None = None) -> list[tuple[int, int]]:
    """All (work index, page index) pairs where the two texts share a bigram, sorted by page index.

    A bigram seen more than ``max_occurrences`` times in the work is no
    evidence, nor is one of two function words seen more than twice.
    """
    if index is None:
        index = bigrams(work)
    wanted = _bigram_keys(page)
    lo = np.searchsorted(index.keys, wanted, side="left")
    counts = np.searchsorted(index.keys, wanted, side="right") - lo
    common = (counts > params.max_occurrences) | ((counts > 2) & page.function[:-1] & page.function[1:])
    counts[common] = 0
    total = int(counts.sum())
    page_index = np.repeat(np.arange(len(wanted)), counts)
    work_index = index.starts[np.arange(total) + np.repeat(lo - (np.cumsum(counts) - counts), counts)]
    return list(zip(work_index.tolist(), page_index.tolist()))


def _chains(seeds: list[tuple[int, int]], params: AlignParams) -> list[list[tuple[int, int]]]:
    """Group seeds, sorted by page position then work position (as :func:`_seeds` gives them),
    into chains along drifting diagonals."""
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


def _anchors(chain: list[tuple[int, int]], wf: int, wl: int, pf: int, pl: int) -> tuple[tuple[int, int], ...]:
    """Word pairs matched verbatim: both words of every seed bigram, plus the exact extensions."""
    pairs = {(i, j) for i, j in chain} | {(i + 1, j + 1) for i, j in chain}
    first_i, first_j = chain[0]
    pairs.update((first_i - k, first_j - k) for k in range(1, first_i - wf + 1))
    last_i, last_j = chain[-1][0] + 1, chain[-1][1] + 1
    pairs.update((last_i + k, last_j + k) for k in range(1, wl - last_i + 1))
    ordered: list[tuple[int, int]] = []
    for i, j in sorted(pairs):
        if wf <= i <= wl and pf <= j <= pl and (not ordered or (i > ordered[-1][0] and j > ordered[-1][1])):
            ordered.append((i, j))
    return tuple(ordered)


def align(work: Tokens, page: Tokens, params: AlignParams = AlignParams(),
          index: Bigrams | None = None) -> list[Passage]:
    """Return the passages of ``page`` that copy ``work``, in page order, non-overlapping in the page.

    ``index`` is :func:`bigrams` of ``work``, when the caller keeps it.
    """
    passages: list[Passage] = []
    for chain in _chains(_seeds(work, page, params, index), params):
        if len(chain) < params.min_seeds:
            continue
        wf, wl, pf, pl = _extend(chain, work, page)
        anchors = _anchors(chain, wf, wl, pf, pl)
        shared = len(anchors)
        length = wl - wf + 1
        if (length < params.min_words or shared < params.min_shared
                or shared / max(length, pl - pf + 1) < params.min_density):
            continue
        passages.append(
            Passage(wf, wl, pf, pl, work.starts[wf], work.ends[wl], page.starts[pf], page.ends[pl], shared, anchors)
        )
    passages.sort(key=lambda x: (-x.shared, x.page_first))
    kept: list[Passage] = []
    for candidate in passages:
        clipped: Passage | None = candidate
        for other in kept:
            clipped = _clip(clipped, other, work, page) if clipped else None
        if clipped is not None and clipped.work_words >= params.min_words:
            kept.append(clipped)
    return _merge(sorted(kept, key=lambda x: x.page_first), params)


def _clip(passage: Passage, kept: Passage, work: Tokens, page: Tokens) -> Passage | None:
    """``passage`` without the page words ``kept`` already claims; None if little is left.

    Two chains of one copy often meet with a word or two of overlap where a
    swapped word broke the chain; the shorter one keeps its own part.
    """
    if passage.page_last < kept.page_first or passage.page_first > kept.page_last:
        return passage
    if passage.page_first < kept.page_first <= passage.page_last <= kept.page_last:
        cut = passage.page_last - kept.page_first + 1
        wl, pl = passage.work_last - cut, kept.page_first - 1
        if wl <= passage.work_first:
            return None
        kept_anchors = tuple(a for a in passage.anchors if a[0] <= wl and a[1] <= pl)
        return Passage(passage.work_first, wl, passage.page_first, pl, passage.work_start, work.ends[wl],
                       passage.page_start, page.ends[pl], len(kept_anchors), kept_anchors)
    if kept.page_first <= passage.page_first <= kept.page_last < passage.page_last:
        cut = kept.page_last - passage.page_first + 1
        wf, pf = passage.work_first + cut, kept.page_last + 1
        if wf >= passage.work_last:
            return None
        kept_anchors = tuple(a for a in passage.anchors if a[0] >= wf and a[1] >= pf)
        return Passage(wf, passage.work_last, pf, passage.page_last, work.starts[wf], passage.work_end,
                       page.starts[pf], passage.page_end, len(kept_anchors), kept_anchors)
    return None


def _merge(passages: list[Passage], params: AlignParams) -> list[Passage]:
    """Join neighbouring passages that continue each other in both texts.

    Heavy spinning (a run of swapped words, or one word swapped for three) can
    break a chain; the stretch between two passages that follow each other in
    both texts with similar short gaps is part of the same copy.
    """
    merged: list[Passage] = []
    for passage in passages:
        if merged:
            last = merged[-1]
            work_gap = passage.work_first - last.work_last - 1
            page_gap = passage.page_first - last.page_last - 1
            if 0 <= work_gap <= params.merge_gap and 0 <= page_gap <= params.merge_gap \
                    and abs(work_gap - page_gap) <= max(4, work_gap // 2):
                merged[-1] = Passage(last.work_first, passage.work_last, last.page_first, passage.page_last,
                                     last.work_start, passage.work_end, last.page_start, passage.page_end,
                                     last.shared + passage.shared, last.anchors + passage.anchors)
                continue
        merged.append(passage)
    return merged
