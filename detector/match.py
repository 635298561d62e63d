"""Match: verify the catalog's candidates by alignment, and measure how much was copied.

The LSH lookup only says which works a page *might* copy. Alignment decides,
and its passages give the figures: coverage (share of the work's words inside
copied passages), the number of copied words, and the extent.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from fingerprints import (
    AlignParams, Catalog, Fingerprint, Passage, Tokens, align, document_signature, fingerprint, tokenize,
)
from fingerprints.align import Bigrams, bigrams
from fingerprints.signature import DOCUMENT_SPEC, SKELETON_SPEC, WORD_SPEC

from .config import MatchConfig
from .store import SignatureRecord

__all__ = ["Matcher", "Found", "extent_of", "work_signatures"]


@dataclass(frozen=True)
class Found:
    """A verified copy of one work in one page, before classification."""

    work_id: int
    extent: str
    coverage: float
    similarity: float
    copied_words: int
    passages: tuple[Passage, ...]
    work_tokens: Tokens
    page_tokens: Tokens


def extent_of(coverage: float, copied_words: int, settings: MatchConfig) -> str:
    """``full`` when most of the work is there, ``quote`` when only a few words are, else ``partial``."""
    if coverage >= settings.full_coverage:
        return "full"
    if copied_words <= settings.quote_max_words:
        return "quote"
    return "partial"


def work_signatures(fp: Fingerprint) -> list[SignatureRecord]:
    """The records a registered work's fingerprint is stored as."""
    return [
        SignatureRecord(spec.name, spec.scheme, spec.num_perm, spec.seed, spec.shingle, values)
        for spec, values in ((WORD_SPEC, fp.word_signatures), (SKELETON_SPEC, fp.skeleton_signatures))
    ]


def _union_length(intervals: Iterable[tuple[int, int]]) -> int:
    total, reach = 0, -1
    for first, last in sorted(intervals):
        if last > reach:
            total += last - max(first, reach + 1) + 1
            reach = last
    return total


class Matcher:
    """Finds registered works in page text. Holds the catalog; loads work texts on demand.

    ``work_text`` returns the stored text of a work id; the few most recently
    aligned works are kept tokenized, since a crawl of one site meets the same
    originals again and again.
    """

    def __init__(self, catalog: Catalog, work_text: Callable[[int], str], settings: MatchConfig,
                 cache_size: int = 256) -> None:
        self.catalog = catalog
        self.settings = settings
        self._work_text = work_text
        self._cache: OrderedDict[int, tuple[Tokens, Bigrams]] = OrderedDict()
        self._cache_size = cache_size
        self._params = AlignParams(min_words=settings.min_passage_words)

    def add(self, work_id: int, word_signatures: np.ndarray, skeleton_signatures: np.ndarray,
            replaced: int | None = None) -> None:
        """Make a newly registered work findable (and its previous version not)."""
        if replaced is not None:
            self.catalog.discard(replaced)
            self._cache.pop(replaced, None)
        self.catalog.add(work_id, word_signatures, skeleton_signatures)

    def _tokens(self, work_id: int) -> tuple[Tokens, Bigrams]:
        cached = self._cache.get(work_id)
        if cached is None:
            tokens = tokenize(self._work_text(work_id))
            cached = self._cache[work_id] = (tokens, bigrams(tokens))
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(work_id)
        return cached

    def match(self, text: str) -> list[Found]:
        """Every registered work that ``text`` copies, most copied first."""
        page = fingerprint(text)
        found: list[Found] = []
        # Skeletons of unrelated prose collide now and then ("* of the * in a *"); a spun copy
        # makes a good share of the page's sentences hit, so skeleton-only candidates must too.
        skeleton_floor = max(self.settings.min_skeleton_votes, int(0.08 * len(page.skeleton_blocks)))
        for candidate in self.catalog.candidates(page, self.settings.max_candidates):
            if not candidate.word_hits and candidate.skeleton_hits < min(skeleton_floor, 8):
                continue
            result = self._verify(candidate.work, page.tokens)
            if result is not None:
                found.append(result)
        return sorted(found, key=lambda f: (-f.copied_words, f.work_id))

    def _verify(self, work_id: int, page: Tokens) -> Found | None:
        work, index = self._tokens(work_id)
        passages = align(work, page, self._params, index)
        if not passages or not len(work):
            return None
        copied = _union_length((p.work_first, p.work_last) for p in passages)
        coverage = min(1.0, copied / len(work))
        region = np.concatenate([page.hashes[p.page_first : p.page_last + 1] for p in passages])
        similarity = DOCUMENT_SPEC.jaccard(document_signature(work.hashes), document_signature(region))
        return Found(work_id, extent_of(coverage, copied, self.settings), round(coverage, 4), round(similarity, 4),
                     copied, tuple(passages), work, page)
