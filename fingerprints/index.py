"""An LSH index over block signatures, kept in flat numpy arrays.

This is the banding scheme of datasketch's ``MinHashLSH`` (``b`` bands of
``r`` rows; two signatures are candidates when any band is identical) with a
different storage. ``MinHashLSH`` keeps a Python set per bucket and a bytes
object per band, several hundred bytes per (block, band); at sentence
granularity 10,000 posts make over a million blocks and that storage alone
outgrows the 1 GB budget (``bench/bench_index_memory.py`` measures both). Here
a band costs 12 bytes: its 64-bit hash in one sorted array and the 32-bit
block key in a parallel array, and a query is one vectorized ``searchsorted``.

Most bands of a page are in no bucket at all: the page copies nothing, or
not that sentence. A binary search over millions of hashes costs a cache miss
per step, so a :class:`PresenceFilter` (one bit per hash, about one byte per
band) answers "certainly absent" first, with one memory access per band,
and only the few bands it lets through are searched. They are not binary
searched either, which costs a cache miss per level: a directory gives, for
the top bits of a hash, where the hashes with those bits start, and the few
hashes there (about eight) are compared at once.
"""

from __future__ import annotations

import numpy as np

__all__ = ["LSHIndex", "PresenceFilter"]

_BAND_MIX = np.random.RandomState(20240229).randint(1, 2**62, size=64, dtype=np.int64).astype(np.uint64) | np.uint64(1)
_SPREAD = np.uint64(0x9E3779B97F4A7C15)
#: Signatures band-hashed together: enough to amortize numpy's per-call cost, small enough to add no memory.
_BUFFER = 4096
_CHUNK = 1 << 20
#: Hashes per directory slot, on average; a needle whose slot holds more than _SCAN is binary searched.
_PER_SLOT = 8
_SCAN = 64


class PresenceFilter:
    """A one-hash Bloom filter over a set of 64-bit values: no false negatives.

    8 to 16 bits per value, so at most about 1 lookup in 8 of an absent value
    gets through. The slot is a value's top bits. Band hashes are well mixed
    there; other values (signature digests are minimums, whose high bits are
    mostly zero) are spread by a multiplication first.
    """

    __slots__ = ("_bits", "_shift", "_spread")

    def __init__(self, values: np.ndarray, spread: bool = False) -> None:
        size = max(1 << 16, 1 << int(len(values) * 8 - 1).bit_length())
        self._shift = np.uint64(64 - (size.bit_length() - 1))
        self._spread = spread
        self._bits = np.zeros(size >> 3, dtype=np.uint8)
        for start in range(0, len(values), _CHUNK):  # chunks: a temporary per value would double the index
            slots = np.sort(self._slots(values[start : start + _CHUNK]))
            byte = slots >> np.uint64(3)
            first = np.flatnonzero(np.concatenate(([True], byte[1:] != byte[:-1])))
            bit = np.left_shift(np.uint8(1), (slots & np.uint64(7)).astype(np.uint8))
            self._bits[byte[first]] |= np.bitwise_or.reduceat(bit, first)

    def _slots(self, values: np.ndarray) -> np.ndarray:
        values = values.astype(np.uint64, copy=False)
        if self._spread:
            with np.errstate(over="ignore"):
                values = values * _SPREAD
        return values >> self._shift

    def maybe(self, values: np.ndarray) -> np.ndarray:
        """Per value, False when it is certainly not in the set."""
        slots = self._slots(values)
        return ((self._bits[slots >> np.uint64(3)] >> (slots & np.uint64(7)).astype(np.uint8)) & 1).astype(bool)

    @property
    def nbytes(self) -> int:
        return int(self._bits.nbytes)

    def arrays(self) -> dict[str, np.ndarray]:
        """The filter as plain arrays, for :meth:`from_arrays` (a saved catalog)."""
        return {"bits": self._bits, "shape": np.array([int(self._shift), int(self._spread)], dtype=np.uint64)}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> PresenceFilter:
        bits, (shift, spread) = arrays["bits"], arrays["shape"].tolist()
        if bits.dtype != np.uint8 or bits.ndim != 1 or len(bits) * 8 != 1 << (64 - shift):
            raise ValueError("presence filter arrays do not fit together")
        made = cls.__new__(cls)
        made._bits, made._shift, made._spread = bits, np.uint64(shift), bool(spread)
        return made


class LSHIndex:
    """Candidate lookup for MinHash signatures by banding.

    Keys are non-negative integers chosen by the caller (block ids). Adding is
    cheap; the sorted view is rebuilt lazily on the next query.
    """

    def __init__(self, num_perm: int, bands: int, max_bucket: int = 500) -> None:
        if num_perm < 2:
            raise ValueError(f"num_perm must be >= 2, got {num_perm}")
        if not 1 <= bands <= num_perm or num_perm % bands:
            raise ValueError(f"bands must divide num_perm ({num_perm}), got {bands}")
        self.num_perm = num_perm
        self.bands = bands
        self.rows = num_perm // bands
        #: A band value shared by more blocks than this is boilerplate, not evidence; it is skipped.
        self.max_bucket = max_bucket
        self._pending_hashes: list[np.ndarray] = []
        self._pending_keys: list[np.ndarray] = []
        self._buffer: list[np.ndarray] = []
        self._buffer_keys: list[np.ndarray] = []
        self._buffered = 0
        self._hashes = np.empty(0, dtype=np.uint64)
        self._keys = np.empty(0, dtype=np.int32)
        self._present = PresenceFilter(self._hashes)
        self._directory = _directory(self._hashes)

    def __len__(self) -> int:
        """Number of signatures indexed."""
        return (len(self._keys) + sum(len(k) for k in self._pending_keys)) // self.bands + self._buffered

    def band_hashes(self, hashvalues: np.ndarray) -> np.ndarray:
        """One 64-bit hash per band and signature (``n x bands``), band number mixed in."""
        if hashvalues.ndim != 2 or hashvalues.shape[1] != self.num_perm:
            raise ValueError(f"expected signatures of {self.num_perm} hash values, got shape {hashvalues.shape}")
        values = hashvalues.astype(np.uint64).reshape(len(hashvalues), self.bands, self.rows)
        with np.errstate(over="ignore"):
            # row by row: a sum over an axis of 4 spends its time in numpy's reduction loop setup,
            # and this gives the same values 2 to 4 times faster
            mixed = values[:, :, 0] * _BAND_MIX[0]
            for row in range(1, self.rows):
                mixed += values[:, :, row] * _BAND_MIX[row]
            mixed ^= mixed >> np.uint64(29)
            mixed = mixed * _BAND_MIX[self.rows] + np.arange(self.bands, dtype=np.uint64) * _BAND_MIX[self.rows + 1]
        return mixed

    def add(self, keys: np.ndarray, hashvalues: np.ndarray) -> None:
        """Index signatures ``hashvalues[i]`` under ``keys[i]``."""
        keys = np.asarray(keys, dtype=np.int64)
        if len(keys) != len(hashvalues):
            raise ValueError("one key per signature")
        if not len(keys):
            return
        self._buffer.append(hashvalues)
        self._buffer_keys.append(keys)
        self._buffered += len(keys)
        if self._buffered >= _BUFFER:
            self._flush()

    def _flush(self) -> None:
        """Band-hash the buffered signatures in one call: per call, numpy's overhead outweighs 20 rows of work."""
        if not self._buffer:
            return
        self._pending_hashes.append(self.band_hashes(np.concatenate(self._buffer)).ravel())
        self._pending_keys.append(np.repeat(np.concatenate(self._buffer_keys).astype(np.int32), self.bands))
        self._buffer.clear()
        self._buffer_keys.clear()
        self._buffered = 0

    def settle(self) -> None:
        """Sort what was added since the last query (done by the first query anyway).

        numpy sorts without the global interpreter lock, so a caller may settle several indexes at once.
        """
        self._flush()
        if not self._pending_keys:
            return
        hashes = np.concatenate([self._hashes, *self._pending_hashes])
        self._pending_hashes.clear()
        self._hashes = np.empty(0, dtype=np.uint64)
        order = np.argsort(hashes)
        keys = np.concatenate([self._keys, *self._pending_keys])[order]
        self._pending_keys.clear()
        del order
        # sorting the hashes again, in place, gives what hashes[order] gives: at 8.6 M hashes it is
        # faster than that random gather (1.6 s against 2.2 s with the argsort) and needs no second copy
        hashes.sort()
        self._hashes, self._keys = hashes, keys
        self._present = PresenceFilter(hashes)
        self._directory = _directory(hashes)

    def query(self, hashvalues: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Candidates for each query signature.

        Returns ``(query_rows, keys)``: parallel arrays, one entry per distinct
        (query signature, indexed key) pair that shares at least one band.
        """
        self.settle()
        empty = np.empty(0, dtype=np.int64)
        if not len(hashvalues) or not len(self._hashes):
            return empty, empty
        wanted = self.band_hashes(hashvalues).ravel()
        probed = np.flatnonzero(self._present.maybe(wanted))
        if not len(probed):
            return empty, empty
        positions, owners = self._find(wanted[probed])
        counts = np.bincount(owners, minlength=len(probed))
        common = counts[owners] > self.max_bucket
        if common.any():
            positions, owners = positions[~common], owners[~common]
        if not len(positions):
            return empty, empty
        rows = probed[owners] // self.bands
        keys = self._keys[positions].astype(np.int64)
        pairs = np.unique((rows << 32) | keys)
        return pairs >> 32, pairs & 0xFFFFFFFF

    def _find(self, needles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(positions, owners)``: every position of the sorted hashes that equals ``needles[owner]``."""
        directory = self._directory
        shift = np.uint64(64 - (len(directory) - 2).bit_length())
        slot = (needles >> shift).astype(np.intp)
        first = directory[slot]
        lengths = directory[slot + 1] - first
        crowded = np.flatnonzero(lengths > _SCAN)
        if len(crowded):  # a big bucket (boilerplate) fills its slot: binary search those few needles
            first[crowded] = np.searchsorted(self._hashes, needles[crowded], side="left")
            sizes = np.searchsorted(self._hashes, needles[crowded], side="right") - first[crowded]
            lengths[crowded] = np.where(sizes > self.max_bucket, 0, sizes)  # dropped by query anyway
        owners = np.repeat(np.arange(len(needles)), lengths)
        positions = np.arange(int(lengths.sum())) + np.repeat(first - (np.cumsum(lengths) - lengths), lengths)
        hit = self._hashes[positions] == needles[owners]
        return positions[hit], owners[hit]

    def arrays(self) -> dict[str, np.ndarray]:
        """The settled index as plain arrays, for :meth:`from_arrays` (a saved catalog)."""
        self.settle()
        return {"hashes": self._hashes, "keys": self._keys, "directory": self._directory,
                "shape": np.array([self.num_perm, self.bands, self.max_bucket], dtype=np.int64),
                **{f"present_{name}": array for name, array in self._present.arrays().items()}}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> LSHIndex:
        """An index over arrays made by :meth:`arrays` (possibly memory-mapped, read-only)."""
        num_perm, bands, max_bucket = arrays["shape"].tolist()
        index = cls(num_perm, bands, max_bucket)
        hashes, keys = arrays["hashes"], arrays["keys"]
        if hashes.dtype != np.uint64 or keys.dtype != np.int32 or hashes.shape != keys.shape or hashes.ndim != 1:
            raise ValueError("index arrays do not fit together")
        directory = arrays["directory"]
        if (directory.dtype != np.int64 or directory.ndim != 1 or len(directory) < 3
                or (len(directory) - 2) & (len(directory) - 1) or directory[-1] != len(hashes)):
            raise ValueError("index directory does not fit the hashes")
        index._hashes, index._keys, index._directory = hashes, keys, directory
        index._present = PresenceFilter.from_arrays({name[len("present_"):]: array for name, array in arrays.items()
                                                     if name.startswith("present_")})
        return index

    def nbytes(self) -> int:
        """Memory held by the index arrays."""
        self.settle()
        return int(self._hashes.nbytes + self._keys.nbytes + self._present.nbytes + self._directory.nbytes)


def _directory(hashes: np.ndarray) -> np.ndarray:
    """For sorted ``hashes``: entry ``s`` is where the hashes whose top bits equal ``s`` start.

    ``2**k + 1`` entries, about :data:`_PER_SLOT` hashes per slot; the last entry is ``len(hashes)``.
    Band hashes are well mixed, so their top bits are uniform.
    """
    bits = max(1, (len(hashes) // _PER_SLOT).bit_length())
    bounds = np.arange(1 << bits, dtype=np.uint64) << np.uint64(64 - bits)
    return np.append(np.searchsorted(hashes, bounds), len(hashes)).astype(np.int64)
