"""Memory and query time of the block LSH index: ``fingerprints.LSHIndex`` against datasketch's ``MinHashLSH``.

    python bench/bench_index_memory.py [--signatures 1200000] [--datasketch 200000]
                                       [--queries 2000] [--real WORKS] [--seed 1]

At sentence granularity 10,000 posts make about a million block signatures
(word and skeleton blocks together). Both indexes band 64-permutation
signatures into 16 bands of 4 rows. ``LSHIndex`` gets all ``--signatures``;
``MinHashLSH`` (fed ``LeanMinHash`` objects) gets ``--datasketch`` of them, and
its memory is extrapolated linearly to the full count, which is fair because
its storage is one dict entry per (signature, band) plus one list per key.
Signatures are uniform random 32-bit values by default (every band hash
distinct, the best case for both); ``--real WORKS`` uses the block signatures
of that many synthetic posts (``bench/_synth_posts.py``) instead.
Memory is what ``tracemalloc`` sees allocated by the index (numpy reports its
buffers to it), plus the RSS growth as a cross-check. Each index is built
twice, each time in a fresh process: once under ``tracemalloc`` for memory,
once without it for build and query times (tracing slows allocation-heavy
code several times). This is a script to run by hand, not a test.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

import _synth_posts as synth

NUM_PERM, BANDS = 64, 16
BATCH = 50  # about the blocks of one page: the catalog queries a page's blocks at once
CHUNK = 20_000
_SPAWN = multiprocessing.get_context("spawn")
Figures = dict[str, Any]


def in_child(function: Callable[..., Figures], *args: Any) -> Figures:
    with ProcessPoolExecutor(1, mp_context=_SPAWN) as pool:
        return pool.submit(function, *args).result()


def rss_mb() -> float:
    """Current resident set size in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def signature_chunks(n: int, seed: int, real: int) -> tuple[list[np.ndarray], np.ndarray]:
    """``n`` signatures in chunks, and ``n``-independent fresh signatures for queries that should miss."""
    rng = np.random.default_rng(seed)
    fresh = rng.integers(0, 2**32, size=(10_000, NUM_PERM), dtype=np.uint32)
    if real:
        from fingerprints import fingerprint

        blocks = []
        for post in synth.synthesize(real, seed):
            fp = fingerprint("\n\n".join(post.registered_paragraphs()))
            blocks += [fp.word_signatures, fp.skeleton_signatures]
        everything = np.concatenate(blocks)[:n]
        return [everything[i : i + CHUNK] for i in range(0, len(everything), CHUNK)], fresh
    chunks = [rng.integers(0, 2**32, size=(min(CHUNK, n - i), NUM_PERM), dtype=np.uint32) for i in range(0, n, CHUNK)]
    return chunks, fresh


def query_sample(chunks: list[np.ndarray], fresh: np.ndarray, count: int, seed: int) -> np.ndarray:
    """``count`` query signatures: half indexed ones (hits), half fresh ones (misses), shuffled."""
    rng = np.random.default_rng(seed + 1)
    indexed = np.concatenate([c[rng.integers(0, len(c), size=max(1, count // len(chunks) + 1))] for c in chunks])
    picked = np.concatenate([indexed[rng.permutation(len(indexed))[: count // 2]], fresh[: count - count // 2]])
    return picked[rng.permutation(len(picked))]


def ours(n: int, queries: int, seed: int, real: int, trace: bool) -> Figures:
    """Build ``LSHIndex`` over ``n`` signatures: memory if ``trace``, else build and query time per signature."""
    from fingerprints import LSHIndex

    chunks, fresh = signature_chunks(n, seed, real)
    n = sum(len(c) for c in chunks)
    sample = query_sample(chunks, fresh, queries, seed)
    rss0 = rss_mb()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    index = LSHIndex(NUM_PERM, BANDS)
    key = 0
    for chunk in chunks:
        index.add(np.arange(key, key + len(chunk)), chunk)
        key += len(chunk)
    nbytes = index.nbytes()  # sorts the pending bands: the index is query-ready from here
    build = time.perf_counter() - start
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss1 = rss_mb()
    if trace:
        return {"n": n, "traced": current, "peak": peak, "rss": rss1 - rss0}
    start = time.perf_counter()
    hits = sum(len(index.query(sample[i : i + BATCH])[0]) for i in range(0, len(sample), BATCH))
    batched = time.perf_counter() - start
    single_n = min(len(sample), 500)
    start = time.perf_counter()
    for i in range(single_n):
        index.query(sample[i : i + 1])
    single = time.perf_counter() - start
    return {"n": n, "nbytes": nbytes, "build": build, "query_batched": batched / len(sample),
            "query_single": single / single_n, "hits": hits, "queries": len(sample)}


def theirs(n: int, queries: int, seed: int, real: int, trace: bool) -> Figures:
    """Build datasketch ``MinHashLSH`` over ``n`` LeanMinHash signatures: memory if ``trace``, else times."""
    from datasketch import MinHashLSH
    from fingerprints import WORD_SPEC

    chunks, fresh = signature_chunks(n, seed, real)
    n = sum(len(c) for c in chunks)
    sample = query_sample(chunks, fresh, queries, seed)
    rss0 = rss_mb()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, NUM_PERM // BANDS))
    key = 0
    for chunk in chunks:
        for values in chunk:
            lsh.insert(key, WORD_SPEC.minhash(values), check_duplication=False)
            key += 1
    build = time.perf_counter() - start
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss1 = rss_mb()
    if trace:
        return {"n": n, "traced": current, "peak": peak, "rss": rss1 - rss0}
    minhashes = [WORD_SPEC.minhash(values) for values in sample]
    start = time.perf_counter()
    hits = sum(len(lsh.query(m)) for m in minhashes)
    query = time.perf_counter() - start
    return {"n": n, "build": build, "query_single": query / len(sample), "hits": hits, "queries": len(sample)}


def report(args: argparse.Namespace, a: Figures, b: Figures) -> None:
    scale = a["n"] / b["n"]
    mb = 2**20
    source = f"real block signatures of {args.real:,} synthetic posts" if args.real else "uniform random signatures"
    print(f"\nindex memory and query time ({source}; {NUM_PERM} permutations,"
          f" {BANDS} bands x {NUM_PERM // BANDS} rows)")
    print(f"  {'':44} {'LSHIndex':>14} {'MinHashLSH':>14} {'MinHashLSH':>16}")
    print(f"  {'':44} {'measured':>14} {'measured':>14} {'extrapolated':>16}")
    print(f"  {'signatures':<44} {a['n']:>14,} {b['n']:>14,} {a['n']:>16,}")
    print(f"  {'memory held after build (tracemalloc), MB':<44} {a['traced'] / mb:>14.1f} {b['traced'] / mb:>14.1f}"
          f" {b['traced'] * scale / mb:>16.1f}")
    print(f"  {'peak while building (tracemalloc), MB':<44} {a['peak'] / mb:>14.1f} {b['peak'] / mb:>14.1f}"
          f" {b['peak'] * scale / mb:>16.1f}")
    print(f"  {'RSS growth while building, MB':<44} {a['rss']:>14.1f} {b['rss']:>14.1f} {b['rss'] * scale:>16.1f}")
    print(f"  {'bytes per signature (held)':<44} {a['traced'] / a['n']:>14.1f} {b['traced'] / b['n']:>14.1f}")
    print(f"  {'bytes per (signature, band) (held)':<44} {a['traced'] / a['n'] / BANDS:>14.1f}"
          f" {b['traced'] / b['n'] / BANDS:>14.1f}")
    print(f"  {'index arrays (LSHIndex.nbytes), MB':<44} {a['nbytes'] / mb:>14.1f}")
    print(f"  {'build time, s':<44} {a['build']:>14.2f} {b['build']:>14.2f} {b['build'] * scale:>16.1f}")
    print(f"  {'build time per signature, us':<44} {1e6 * a['build'] / a['n']:>14.2f}"
          f" {1e6 * b['build'] / b['n']:>14.2f}")
    print(f"  {'query, one signature at a time, us/signature':<44} {1e6 * a['query_single']:>14.1f}"
          f" {1e6 * b['query_single']:>14.1f}")
    print(f"  {f'query, batches of {BATCH} (one page), us/signature':<44} {1e6 * a['query_batched']:>14.1f}")
    print(f"  {'keys returned (half the queries are indexed)':<44} {a['hits']:>8,}/{a['queries']:<5,}"
          f" {b['hits']:>8,}/{b['queries']:<5,}")
    print(f"\n  held memory ratio at {a['n']:,} signatures: MinHashLSH / LSHIndex = "
          f"{b['traced'] * scale / a['traced']:.1f}x  (tracemalloc counts Python objects and numpy buffers,"
          " not allocator overhead or fragmentation; the RSS row includes those)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--signatures", type=int, default=1_200_000, help="signatures in LSHIndex")
    parser.add_argument("--datasketch", type=int, default=200_000, help="signatures in MinHashLSH")
    parser.add_argument("--queries", type=int, default=2_000, help="query signatures, half of them indexed")
    parser.add_argument("--real", type=int, default=0, metavar="WORKS",
                        help="use the block signatures of this many synthetic posts instead of random ones")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print("machine")
    for key, value in synth.machine():
        print(f"  {key:<10} {value}")
    a = in_child(ours, args.signatures, args.queries, args.seed, args.real, False)
    a |= in_child(ours, args.signatures, args.queries, args.seed, args.real, True)
    print(f"LSHIndex: {a['n']:,} signatures indexed in {a['build']:.1f} s", flush=True)
    b = in_child(theirs, min(args.datasketch, a["n"]), args.queries, args.seed, args.real, False)
    b |= in_child(theirs, min(args.datasketch, a["n"]), args.queries, args.seed, args.real, True)
    print(f"MinHashLSH: {b['n']:,} signatures indexed in {b['build']:.1f} s", flush=True)
    report(args, a, b)
    return 0


if __name__ == "__main__":
    sys.exit(main())
