"""The LSH index and catalog find exactly what a plain band-by-band comparison finds."""

from __future__ import annotations

import numpy as np

from fingerprints import Catalog, LSHIndex
from fingerprints.fingerprint import Fingerprint
from fingerprints.index import PresenceFilter


def _signatures(rng: np.random.Generator, n: int, num_perm: int = 64) -> np.ndarray:
    return rng.integers(0, 2**32, size=(n, num_perm), dtype=np.uint64).astype(np.uint32)


def test_presence_filter_never_forgets_a_member() -> None:
    rng = np.random.default_rng(1)
    for spread in (False, True):
        members = np.sort(rng.integers(0, 2**64, size=50_000, dtype=np.uint64))
        if spread:  # small values with empty high bits, like signature digests
            members = np.sort(rng.integers(0, 2**20, size=50_000, dtype=np.uint64))
        present = PresenceFilter(members, spread=spread)
        assert present.maybe(members).all()
        strangers = rng.integers(0, 2**64, size=50_000, dtype=np.uint64)
        if spread:
            strangers = rng.integers(2**20, 2**21, size=50_000, dtype=np.uint64)
        assert present.maybe(strangers).mean() < 0.15  # 8 to 16 bits per member


def test_index_query_equals_band_by_band_comparison() -> None:
    rng = np.random.default_rng(2)
    indexed = _signatures(rng, 3000)
    queries = _signatures(rng, 300)
    queries[:100] = indexed[rng.choice(3000, 100, replace=False)]
    queries[100:200, :4] = indexed[:100, :4]  # only band 0 equal
    queries[100:200, 60:] = indexed[100:200, 60:]  # only band 15 equal
    index = LSHIndex(64, 16)
    index.add(np.arange(3000), indexed)
    rows, keys = index.query(queries)
    found = set(zip(rows.tolist(), keys.tolist()))
    bands_q = queries.reshape(300, 16, 4)
    bands_i = indexed.reshape(3000, 16, 4)
    expected = {(q, k) for q in range(300) for k in range(3000)
                if (bands_q[q] == bands_i[k]).all(axis=1).any()}
    assert len(expected) >= 300
    assert found == expected



def _band_by_band(queries: np.ndarray, indexed: np.ndarray, max_bucket: int) -> set[tuple[int, int]]:
    """What banding promises, computed the slow way: pairs sharing a band held by at most max_bucket blocks."""
    bands_q = queries.reshape(len(queries), 16, 4)
    bands_i = indexed.reshape(len(indexed), 16, 4)
    found = set()
    for band in range(16):
        holders: dict[bytes, list[int]] = {}
        for k in range(len(indexed)):
            holders.setdefault(bands_i[k, band].tobytes(), []).append(k)
        for q in range(len(queries)):
            keys = holders.get(bands_q[q, band].tobytes(), [])
            if len(keys) <= max_bucket:
                found.update((q, k) for k in keys)
    return found


def test_big_buckets_are_found_and_boilerplate_buckets_skipped_even_when_saved_and_loaded() -> None:
    rng = np.random.default_rng(3)
    indexed = _signatures(rng, 2000)
    indexed[:150, :4] = indexed[0, :4]  # band 0 shared by 150 blocks: more than a directory slot scans
    indexed[150:450, 4:8] = indexed[150, 4:8]  # band 1 shared by 300 blocks: over max_bucket, boilerplate
    indexed[450:470, 8:12] = indexed[450, 8:12]  # band 2 shared by 20 blocks
    queries = _signatures(rng, 60)
    queries[:20] = indexed[rng.choice(2000, 20, replace=False)]
    queries[20:30, :4] = indexed[0, :4]
    queries[30:40, 4:8] = indexed[150, 4:8]
    queries[40:50, 8:12] = indexed[450, 8:12]
    index = LSHIndex(64, 16, max_bucket=200)
    index.add(np.arange(2000), indexed)
    expected = _band_by_band(queries, indexed, max_bucket=200)
    assert {(q, 0) for q in range(20, 30)} <= expected and not any(q in range(30, 40) and k in range(150, 450)
                                                                   for q, k in expected)
    for candidate in (index, LSHIndex.from_arrays(index.arrays())):
        rows, keys = candidate.query(queries)
        assert set(zip(rows.tolist(), keys.tolist())) == expected


def test_an_index_rejects_a_directory_that_does_not_fit_its_hashes() -> None:
    index = LSHIndex(64, 16)
    index.add(np.arange(100), _signatures(np.random.default_rng(4), 100))
    arrays = index.arrays()
    for bad in (arrays["directory"][:-1], arrays["directory"].astype(np.int32), arrays["directory"] + 1):
        try:
            LSHIndex.from_arrays({**arrays, "directory": bad})
        except ValueError as error:
            assert "directory" in str(error)
        else:
            raise AssertionError("a directory that does not fit was accepted")


def _fingerprint(words: np.ndarray, skeletons: np.ndarray) -> Fingerprint:
    from fingerprints import tokenize

    return Fingerprint(tokenize(""), (), words, (), skeletons)


def test_catalog_counts_one_vote_per_page_block_and_skips_shared_and_retired_works() -> None:
    rng = np.random.default_rng(3)
    works = {w: (_signatures(rng, 20), _signatures(rng, 10)) for w in range(1, 41)}
    shared = works[1][0][0].copy()
    works[2][0][0] = shared  # the same sentence in two works: it casts no vote
    catalog = Catalog()
    for work, (words, skeletons) in works.items():
        catalog.add(work, words, skeletons)
    page_words = np.concatenate([works[5][0][:7], works[9][0][:2], [shared], works[5][0][:1]])
    page_skeletons = np.concatenate([works[9][1][:4], works[12][1][:3]])
    found = {c.work: (c.word_hits, c.skeleton_hits) for c in catalog.candidates(_fingerprint(page_words, page_skeletons))}
    assert found == {5: (8, 0), 9: (2, 4), 12: (0, 3)}
    assert [c.work for c in catalog.candidates(_fingerprint(page_words, page_skeletons))] == [5, 9, 12]  # most votes first
    assert [c.work for c in catalog.candidates(_fingerprint(page_words, page_skeletons), limit=2)] == [5, 9]
    catalog.discard(9)
    assert {c.work for c in catalog.candidates(_fingerprint(page_words, page_skeletons))} == {5, 12}
    assert [c.work for c in catalog.candidates(_fingerprint(page_words, page_skeletons), limit=1)] == [5]  # after retiring
