"""MinHash signatures of blocks, computed in bulk and bit-for-bit equal to datasketch's.

datasketch 2.x computes a MinHash of ``n`` items as an ``n x num_perm`` affine
permutation followed by a column minimum. Doing that once for all shingles of
a text, then taking the minimum per block with ``np.minimum.reduceat``, gives
the same hash values as ``MinHash.update_batch`` block by block, at a fraction
of the Python overhead. ``tests/test_fingerprints_match_datasketch.py``
holds the equality with datasketch, so the stored signatures stay valid
datasketch MinHashes (:meth:`SignatureSpec.minhash`).

datasketch itself is imported only to make such a MinHash object. Importing
it costs every process half a second of CPU (its package imports its LSH
module, which imports ``scipy.integrate``), and a ``check`` of one page, or
each worker of a pool, would pay that for two arrays of parameters and a
count of equal values.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Sequence

import numpy as np
from .memo import Memo

if TYPE_CHECKING:
    from datasketch import LeanMinHash

__all__ = ["SignatureSpec", "shingle_hashes", "symbol_hash", "symbol_hashes", "WORD_SPEC", "SKELETON_SPEC", "DOCUMENT_SPEC"]

_M1 = np.uint32(0x85EBCA6B)
_M2 = np.uint32(0xC2B2AE35)
_MIX = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1], dtype=np.uint32)


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch applies it before permuting."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * _M1
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * _M2
    return hv ^ (hv >> np.uint32(16))


def symbol_hash(symbol: str) -> int:
    """The stable 32-bit hash of one symbol (a folded word): its UTF-8 CRC-32."""
    return zlib.crc32(symbol.encode("utf-8"))


_CRC: Memo[str, int] = Memo(symbol_hash)


def symbol_hashes(symbols: Sequence[str]) -> np.ndarray:
    """Stable 32-bit hashes of symbols (words), the same in every process and run."""
    return np.array(_CRC.map(symbols), dtype=np.uint32)


def shingle_hashes(base: np.ndarray, k: int) -> np.ndarray:
    """32-bit hashes of the ``k``-shingles of a sequence given by its symbol hashes."""
    if not 1 <= k <= len(_MIX):
        raise ValueError(f"shingle size must be in [1, {len(_MIX)}], got {k}")
    count = len(base) - k + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    with np.errstate(over="ignore"):
        out = base[:count] * _MIX[0]
        for offset in range(1, k):
            out = (out ^ (out >> np.uint32(15))) + base[offset : offset + count] * _MIX[offset]
    return out


@dataclass(frozen=True)
class SignatureSpec:
    """How a signature was made. Stored with every signature: datasketch 2.x refuses
    to compare MinHashes of different schemes, seeds or sizes, and so do we."""

    name: str
    shingle: int
    num_perm: int
    scheme: str = "affine32"
    seed: int = 1

    @cached_property
    def permutations(self) -> np.ndarray:
        """datasketch's permutation parameters for this scheme, seed and size: ``[a, b]``.

        For ``affine32`` they are drawn here exactly as datasketch 2.x's
        ``MinHash._init_permutations`` draws them (odd ``a``, any ``b``, 32-bit,
        from ``RandomState(seed)``); a test holds them equal to
        ``MinHash(...).permutations``. Other schemes ask datasketch.
        """
        if self.scheme != "affine32":
            from datasketch import MinHash

            return MinHash(num_perm=self.num_perm, seed=self.seed, scheme=self.scheme).permutations
        generator = np.random.RandomState(self.seed)
        a = generator.randint(0, 1 << 31, self.num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = generator.randint(0, 1 << 32, self.num_perm, dtype=np.uint32)
        return np.array([a, b])

    def signatures(self, hashes: np.ndarray, segments: Sequence[tuple[int, int]]) -> np.ndarray:
        """MinHash hash values (``len(segments) x num_perm``) of ``hashes[start:end]`` per segment.

        Every segment must be non-empty and the segments must be in increasing order.
        """
        if not segments:
            return np.empty((0, self.num_perm), dtype=np.uint32)
        a, b = self.permutations
        bounds = np.array(segments, dtype=np.int64)
        if np.any(bounds[:, 1] <= bounds[:, 0]) or np.any(bounds[1:, 0] < bounds[:-1, 1]):
            raise ValueError("segments must be non-empty, in order and disjoint")
        indices = bounds.ravel()
        if indices[-1] == len(hashes):
            indices = indices[:-1]
        # one row per permutation, so that every block minimum runs along contiguous memory:
        # half the time of the (shingles x permutations) layout, with the same values
        with np.errstate(over="ignore"):
            phv = np.multiply.outer(a, _fmix32(hashes.astype(np.uint32, copy=False)))
            phv += b[:, None]
        return np.minimum.reduceat(phv, indices, axis=1).T[::2].copy()

    def minhash(self, hashvalues: np.ndarray) -> LeanMinHash:
        """Wrap stored hash values as a datasketch LeanMinHash of this spec."""
        from datasketch import LeanMinHash

        return LeanMinHash(seed=self.seed, hashvalues=hashvalues, scheme=self.scheme)

    def jaccard(self, first: np.ndarray, second: np.ndarray) -> float:
        """The Jaccard estimate of two signatures of this spec: what ``minhash(first).jaccard(minhash(second))``
        gives (the share of equal hash values), without making datasketch objects."""
        if first.shape != (self.num_perm,) or second.shape != (self.num_perm,):
            raise ValueError(f"expected two signatures of {self.num_perm} hash values, got {first.shape} and {second.shape}")
        return float(np.count_nonzero(first == second)) / float(self.num_perm)


#: Sentence blocks, word 3-shingles: finds verbatim copies, partial copies and quotes.
WORD_SPEC = SignatureSpec("word3", shingle=3, num_perm=64)
#: Sentence blocks, skeleton 3-shingles: finds spun copies.
SKELETON_SPEC = SignatureSpec("skeleton3", shingle=3, num_perm=64)
#: Whole documents, word 3-shingles: the similarity figure reported with a match.
DOCUMENT_SPEC = SignatureSpec("doc-word3", shingle=3, num_perm=128)
