"""The catalog: every registered work's block signatures, searchable by LSH.

It maps block keys back to works and turns block hits into votes per work,
so that the matcher verifies only the few works a page plausibly copies.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from .fingerprint import Fingerprint
from .index import LSHIndex, PresenceFilter
from .signature import SKELETON_SPEC, WORD_SPEC

__all__ = ["Catalog", "Candidate", "BANDS"]

#: 16 bands of 4 rows over 64 permutations: a block pair with Jaccard 0.5 is
#: found with probability 0.64 and one with 0.8 with 0.999, and copies have
#: many blocks, so a copy is found while chance hits stay rare.
BANDS = 16


@dataclass
class Candidate:
    """A work some blocks of a page resemble: how many word and skeleton blocks hit it."""

    work: int
    word_hits: int = 0
    skeleton_hits: int = 0

    @property
    def votes(self) -> int:
        return self.word_hits + self.skeleton_hits


@dataclass
class Catalog:
    """Block-level LSH over registered works; work ids are the caller's integers."""

    words: LSHIndex = field(default_factory=lambda: LSHIndex(WORD_SPEC.num_perm, BANDS))
    skeletons: LSHIndex = field(default_factory=lambda: LSHIndex(SKELETON_SPEC.num_perm, BANDS))
    _block_work: list[np.ndarray] = field(default_factory=list)
    _owner: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    _next_key: int = 0
    works: set[int] = field(default_factory=set)
    _digests: list[np.ndarray] = field(default_factory=list)
    _digest_owners: list[np.ndarray] = field(default_factory=list)
    _common: np.ndarray | None = None
    _common_filter: PresenceFilter | None = None
    _retired: set[int] = field(default_factory=set)

    def add(self, work: int, word_signatures: np.ndarray, skeleton_signatures: np.ndarray) -> None:
        """Index a work's block signatures (as stored, or fresh from :func:`fingerprint`)."""
        for index, signatures in ((self.words, word_signatures), (self.skeletons, skeleton_signatures)):
            keys = np.arange(self._next_key, self._next_key + len(signatures), dtype=np.int64)
            index.add(keys, signatures)
            self._block_work.append(np.full(len(signatures), work, dtype=np.int64))
            self._next_key += len(signatures)
            self._digests.append(_digest(signatures))
            self._digest_owners.append(np.full(len(signatures), work, dtype=np.int64))
        self._common = None
        self.works.add(work)
        self._retired.discard(work)

    def discard(self, work: int) -> None:
        """Stop returning ``work`` as a candidate (its blocks stay until a rebuild)."""
        self.works.discard(work)
        self._retired.add(work)

    def settle(self) -> None:
        """Sort both indexes and find the shared blocks now, all three at once.

        The first lookup would do it anyway, one after the other. numpy sorts
        without the global interpreter lock, so on two cores this takes about
        half the time: 8.6 million band hashes at 10,000 works. The price is
        memory: both sorts' temporaries are alive at once, and the process that
        builds the catalog peaks 55 to 75 MB higher (643 -> 698 MB at 10,000 works).
        """
        with ThreadPoolExecutor(3) as pool:
            jobs: list[Future[object]] = [pool.submit(self.words.settle), pool.submit(self.skeletons.settle),
                                          pool.submit(self._shared_blocks)]
            for job in jobs:
                job.result()

    def _shared_blocks(self) -> np.ndarray:
        """Digests of blocks found in two or more works: an author's own boilerplate
        ("This post first appeared on ...") says nothing about which work a page copies."""
        if self._common is None:
            digests = np.concatenate(self._digests) if self._digests else np.empty(0, dtype=np.uint64)
            owners = np.concatenate(self._digest_owners) if self._digest_owners else np.empty(0, dtype=np.int64)
            self._digests, self._digest_owners = [digests], [owners]
            # sorted by digest, a digest held by two works has two neighbours with different owners
            order = np.argsort(digests)
            digests, owners = digests[order], owners[order]
            shared = (digests[1:] == digests[:-1]) & (owners[1:] != owners[:-1])
            self._common = np.unique(digests[1:][shared])
            self._common_filter = PresenceFilter(self._common, spread=True)
        return self._common

    def _owners(self) -> np.ndarray:
        if self._block_work:
            self._owner = np.concatenate([self._owner, *self._block_work])
            self._block_work.clear()
        return self._owner

    def candidates(self, page: Fingerprint, limit: int | None = None) -> list[Candidate]:
        """Works whose blocks share an LSH band with the page's blocks, most votes first; the first ``limit``.

        A vote is one page block that resembles at least one block of the work.
        Skeleton collisions give a page hundreds of one-vote works, and only the
        few a caller verifies need to become objects.
        """
        owners = self._owners()
        common = self._shared_blocks()
        voters: list[np.ndarray] = []  # per index, the work of each distinct (page block, work) pair
        for index, signatures in ((self.words, page.word_signatures), (self.skeletons, page.skeleton_signatures)):
            if len(common) and len(signatures):
                signatures = signatures[~self._is_common(_digest(signatures))]
            rows, keys = index.query(signatures)
            voters.append(np.unique((rows << 32) | owners[keys]) & 0xFFFFFFFF)
        works, inverse = np.unique(np.concatenate(voters), return_inverse=True)
        if not len(works):
            return []
        word_hits = np.bincount(inverse[: len(voters[0])], minlength=len(works))
        skeleton_hits = np.bincount(inverse[len(voters[0]):], minlength=len(works))
        order = np.lexsort((works, -(word_hits + skeleton_hits)))
        if self._retired:
            order = order[~np.isin(works[order], np.fromiter(self._retired, dtype=np.int64))]
        order = order[:limit]
        return [Candidate(w, c, k) for w, c, k in zip(works[order].tolist(), word_hits[order].tolist(),
                                                         skeleton_hits[order].tolist())]

    def arrays(self) -> dict[str, np.ndarray]:
        """Everything the catalog knows, as named plain arrays: a caller may save them and
        :meth:`from_arrays` them back (memory-mapped) instead of rebuilding from signatures.
        Only a catalog with no discarded work can be saved: discarding is not undone by a rebuild."""
        if self._retired:
            raise ValueError("a catalog with discarded works is not saved; rebuild it instead")
        self.settle()
        common = self._shared_blocks()
        assert self._common_filter is not None  # set with the shared blocks
        arrays = {"owner": self._owners(), "digests": self._digests[0], "digest_owners": self._digest_owners[0],
                  "common": common, "works": np.array(sorted(self.works), dtype=np.int64),
                  "next_key": np.array([self._next_key], dtype=np.int64)}
        for prefix, part in (("words", self.words.arrays()), ("skeletons", self.skeletons.arrays()),
                             ("common_filter", self._common_filter.arrays())):
            arrays.update({f"{prefix}.{name}": array for name, array in part.items()})
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Catalog:
        """The catalog saved by :meth:`arrays`. Raises ValueError when the arrays do not fit together."""
        def part(prefix: str) -> dict[str, np.ndarray]:
            return {name[len(prefix) + 1:]: a for name, a in arrays.items() if name.startswith(prefix + ".")}

        try:
            owner, next_key = arrays["owner"], int(arrays["next_key"][0])
            catalog = cls(words=LSHIndex.from_arrays(part("words")), skeletons=LSHIndex.from_arrays(part("skeletons")),
                          _owner=owner, _next_key=next_key, works=set(arrays["works"].tolist()),
                          _digests=[arrays["digests"]], _digest_owners=[arrays["digest_owners"]],
                          _common=arrays["common"], _common_filter=PresenceFilter.from_arrays(part("common_filter")))
        except KeyError as missing:
            raise ValueError(f"catalog array {missing} is missing") from None
        for index in (catalog.words, catalog.skeletons):
            keys = index._keys
            if len(keys) and (int(keys.min()) < 0 or int(keys.max()) >= len(owner)):
                raise ValueError("catalog block keys point past the block owners")
        if len(owner) != next_key or owner.dtype != np.int64 or arrays["digests"].shape != arrays["digest_owners"].shape:
            raise ValueError("catalog arrays do not fit together")
        return catalog

    def _is_common(self, digests: np.ndarray) -> np.ndarray:
        common, present = self._shared_blocks(), self._common_filter
        assert present is not None  # set with the shared blocks
        shared = present.maybe(digests)
        if shared.any():
            shared[shared] = _member(digests[shared], common)
        return shared


def _digest(signatures: np.ndarray) -> np.ndarray:
    """A 64-bit identity of each signature: equal sentences give equal digests."""
    if not len(signatures):
        return np.empty(0, dtype=np.uint64)
    return (signatures[:, 0].astype(np.uint64) << np.uint64(32)) | signatures[:, 1].astype(np.uint64)


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """``np.isin`` for a set that is already sorted (np.unique's output), without re-sorting it."""
    index = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[index] == values
