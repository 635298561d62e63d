"""Throughput and memory of register and check at 10,000 works, and the LSH path against brute force.

    python bench/bench_match.py [--works 10000] [--pages 2000] [--brute-sample 100]
                                [--profile-works 2000] [--profile-pages 500] [--workdir DIR]

Registers synthetic posts (paragraphs of the non-holdout originals recombined,
then relabelled word for word so that each post has sentences of its own;
``--plain`` skips the relabelling, see ``bench/_synth_posts.py``) and checks
real non-holdout pages against them: about 10 % verbatim copies in the page's
own chrome, 5 % partial copies, the rest unrelated. Every phase runs in a
fresh process, so each peak RSS is that phase's own. Rates are given per wall
second and per CPU second of the busiest process: other jobs may share the
machine, and the second figure is what an idle one would give. The check
clock starts once the catalog is ready (loaded, shared blocks found, bands
sorted), which is timed apart. Targets on the reference 2-core machine:
register >= 500 works/s, check >= 300 pages/s, peak RSS <= 1 GB at 10,000
works. This is a script to run by hand, not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import multiprocessing
import os
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

import _synth_posts as synth

TARGETS = {"register": 500.0, "check": 300.0, "rss": 1024.0}
#: Matched once before any clock starts: the first match finishes building the catalog.
WARM_UP = "This sentence is matched once so that the catalog is complete before the clock starts."
_SPAWN = multiprocessing.get_context("spawn")
Figures = dict[str, Any]


def in_child(function: Callable[..., Figures], *args: Any) -> Figures:
    """Run ``function`` in a fresh process, so its peak RSS is its own."""
    with ProcessPoolExecutor(1, mp_context=_SPAWN) as pool:
        return pool.submit(function, *args).result()


def in_children(function: Callable[..., Figures], argsets: Sequence[tuple[Any, ...]]) -> list[Figures]:
    """Run ``function`` once per argument tuple, all at the same time, each in its own process."""
    with ProcessPoolExecutor(len(argsets), mp_context=_SPAWN) as pool:
        return [f.result() for f in [pool.submit(function, *args) for args in argsets]]


def detector(db: Path) -> Any:
    from detector.api import Detector
    from detector.config import load_config
    from detector.heap import settle

    settle()  # as the CLI's batch commands do
    return Detector(load_config(db=str(db)))


def copy_store(source: Path, target: Path) -> Path:
    """A copy of a closed store (its WAL was checkpointed when the last connection closed)."""
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return target


# Phases, each run in a child process ----------------------------------------------


def generate(workdir: Path, works: int, pages: int, seed: int, relabel: bool) -> Figures:
    start = time.perf_counter()
    posts = synth.synthesize(works, seed, relabel=relabel)
    synth.write_posts(posts, workdir / "posts")
    plans = synth.write_pages(posts, workdir / "pages", pages, seed)
    distinct, reuse = synth.reuse_factor(works, seed)
    return {
        "seconds": time.perf_counter() - start, "originals": len(synth.corpus_paragraphs()[0]),
        "paragraphs": distinct, "reuse": reuse,
        "median_words": statistics.median(sum(len(p.split()) for p in post.paragraphs) for post in posts),
        "kinds": {k: sum(p.kind == k for p in plans) for k in ("copy", "partial", "unrelated")},
        "real_pages": len({p.source for p in plans}),
    }


def register(db: Path, paths: list[str]) -> Figures:
    """Register ``paths`` through ``Detector.register``."""
    with detector(db) as det:
        start, cpu = time.time(), time.process_time()
        summary = det.register(paths)
        end, cpu = time.time(), time.process_time() - cpu
    return {"start": start, "end": end, "cpu": cpu, "added": summary.added, "failed": len(summary.failed),
            "rss": synth.peak_rss_mb()}


def register_pipeline(db: Path, paths: list[str], workers: int) -> Figures:
    """``Detector.register(workers=N)``, what ``detector register`` runs: N processes read and sign, this one writes."""
    with detector(db) as det:
        start, cpu, before = time.time(), time.process_time(), children_cpu()
        summary = det.register(paths, workers=workers)
        end, cpu = time.time(), time.process_time() - cpu
    workers_cpu = (children_cpu() - before) / workers
    return {"start": start, "end": end, "cpu": max(cpu, workers_cpu), "added": summary.added,
            "failed": len(summary.failed), "rss": synth.peak_rss_mb(), "workers_rss": synth.children_peak_rss_mb()}


def children_cpu() -> float:
    """CPU seconds of the waited-for child processes (a pool's workers once it is shut down)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def check(db: Path, paths: list[str]) -> Figures:
    """Check ``paths`` through ``Detector.check``; the catalog is loaded first and timed apart."""
    with detector(db) as det:
        start = time.time()
        det.matcher.match(WARM_UP)
        catalog, load_rss = det.matcher.catalog, synth.peak_rss_mb()
        loaded, cpu = time.time(), time.process_time()
        results = det.check(paths)
        end, cpu = time.time(), time.process_time() - cpu
        urls = {w.id: w.url for w in det.store.works()}
    rows = [(Path(r.arg).name, r.error, [(urls.get(m.work_id), m.extent) for m in r.matches]) for r in results]
    return {"start": start, "loaded": loaded, "end": end, "cpu": cpu, "rows": rows, "rss": synth.peak_rss_mb(),
            "load_rss": load_rss,
            "blocks": len(catalog.words) + len(catalog.skeletons),
            "index_mb": (catalog.words.nbytes() + catalog.skeletons.nbytes()) / 2**20}


def check_pipeline(db: Path, paths: list[str], workers: int) -> Figures:
    """``Detector.check(workers=N)``, what ``detector check`` runs: N processes check, this one stores.

    The catalog is saved first, outside the clock, as any later check of the same store finds it.
    """
    with detector(db) as det:
        det.prepare_catalog()
        start, cpu, before = time.time(), time.process_time(), children_cpu()
        results = det.check(paths, workers=workers)
        end, cpu = time.time(), time.process_time() - cpu
    workers_cpu = (children_cpu() - before) / workers
    return {"start": start, "end": end, "cpu": max(cpu, workers_cpu), "parent_cpu": cpu, "workers_cpu": workers_cpu,
            "errors": sum(1 for r in results if r.error), "rss": synth.peak_rss_mb()}


def profiled(db: Path, paths: list[str], what: str) -> Figures:
    """cProfile one ``register`` or ``check`` run (catalog building excluded for check)."""
    with detector(db) as det:
        if what == "check":
            det.matcher.match(WARM_UP)  # the catalog is built outside the profile
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.runcall(det.register if what == "register" else det.check, paths)
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "n": len(paths), **profile_tables(profile)}


def profile_tables(profile: cProfile.Profile) -> Figures:
    tables = {}
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(15)
        text = out.getvalue()
        tables[order] = text[text.index("   ncalls"):].rstrip()
    return tables


# Brute force ------------------------------------------------------------------------

#: A work is aligned by brute force when it shares this many distinct word 3-shingles with the page.
MIN_SHARED_SHINGLES = 3


def _shingle_set(words: Sequence[str]) -> Any:
    import numpy as np
    from fingerprints import shingle_hashes, symbol_hashes

    return np.unique(shingle_hashes(symbol_hashes(list(words)), 3))


def _sample_pages(plans: list[synth.PagePlan], n: int, seed: int) -> list[synth.PagePlan]:
    """About 40 % verbatim copies, 20 % partial copies, 40 % unrelated pages, seeded."""
    rng = random.Random(seed)
    chosen: list[synth.PagePlan] = []
    for kind, share in (("copy", 0.4), ("partial", 0.2), ("unrelated", 0.4)):
        pool = [p for p in plans if p.kind == kind]
        chosen += rng.sample(pool, min(len(pool), round(n * share)))
    return chosen


def brute_force(db: Path, pages_dir: Path, n: int, align_all: int, seed: int) -> Figures:
    """Time the LSH path and brute force on the same extracted pages, and compare what they find."""
    import numpy as np
    from detector.extract import extract_html
    from fingerprints import AlignParams, align, tokenize

    chosen = _sample_pages(synth.read_plans(pages_dir), n, seed)
    texts = [extract_html((pages_dir / p.name).read_bytes()).text for p in chosen]
    with detector(db) as det:
        matcher = det.matcher
        matcher.match(WARM_UP)
        works = det.store.works()
        params = AlignParams(min_words=det.config.match.min_passage_words)
        text_of = {w.id: w.text for w in works}
        work_tokens = lru_cache(maxsize=256)(lambda work_id: tokenize(text_of[work_id]))
        start = time.perf_counter()
        sets = [_shingle_set(tokenize(w.text).words) for w in works]
        everything = np.concatenate(sets)
        owner = np.repeat(np.arange(len(works)), [len(s) for s in sets])
        setup, sets = time.perf_counter() - start, []
        lsh_time = brute_time = 0.0
        pairs = []
        for text in texts:
            start = time.perf_counter()
            lsh = {f.work_id for f in matcher.match(text)}
            middle = time.perf_counter()
            page = tokenize(text)
            shingles = _shingle_set(page.words)
            shared = np.bincount(owner[np.isin(everything, shingles)], minlength=len(works))
            found = {}
            for index in np.flatnonzero(shared >= MIN_SHARED_SHINGLES).tolist():
                passages = align(work_tokens(works[index].id), page, params)
                if passages:
                    found[works[index].id] = sum(p.work_words for p in passages)
            brute_time += time.perf_counter() - middle
            lsh_time += middle - start
            pairs.append((lsh, found))
        step = max(1, len(texts) // max(1, align_all))
        every = _align_every_work(works, [tokenize(t) for t in texts[::step][:align_all]], params)
        every["step"] = step
        mb = (everything.nbytes + owner.nbytes) / 2**20
    return {"lines": _brute_lines(chosen, pairs, lsh_time, brute_time, setup, mb, every,
                                  det.config.match.max_candidates)}


def _align_every_work(works: list[Any], pages: list[Any], params: Any) -> Figures:
    """Align each page against every work, no prefilter at all: the slowest possible truth."""
    from fingerprints import align, tokenize

    tokenizing = aligning = 0.0
    found: list[set[int]] = [set() for _ in pages]
    for work in works:
        start = time.perf_counter()
        tokens = tokenize(work.text)
        middle = time.perf_counter()
        for number, page in enumerate(pages):
            if align(tokens, page, params):
                found[number].add(work.id)
        tokenizing += middle - start
        aligning += time.perf_counter() - middle
    return {"pages": len(pages), "tokenize": tokenizing, "align": aligning, "found": found}


def _brute_lines(chosen: list[synth.PagePlan], pairs: list[tuple[set[int], dict[int, int]]], lsh_time: float,
                 brute_time: float, setup: float, mb: float, every: Figures, cap: int) -> list[str]:
    n = len(pairs)
    kinds = {k: sum(p.kind == k for p in chosen) for k in ("copy", "partial", "unrelated")}
    same = sum(lsh == set(found) for lsh, found in pairs)
    subset = sum(lsh <= set(found) for lsh, found in pairs)
    with_any = [(lsh, found) for lsh, found in pairs if found]
    top = sum(max(found, key=lambda w: (found[w], -w)) in lsh for lsh, found in with_any)
    top_cap = sum(set(sorted(found, key=lambda w: (-found[w], w))[:cap]) == lsh for lsh, found in pairs)
    lines = [
        f"LSH vs brute force ({n} pages: {kinds['copy']} copies, {kinds['partial']} partial, {kinds['unrelated']}"
        " unrelated; extraction done beforehand, not timed)",
        f"  {'LSH path: Matcher.match (fingerprint, lookup, verify)':<62} {1000 * lsh_time / n:9.1f} ms/page",
        f"  {f'brute: 3-shingle overlap with every work, align if >= {MIN_SHARED_SHINGLES}':<62}"
        f" {1000 * brute_time / n:9.1f} ms/page   (setup {setup:.1f} s, {mb:.0f} MB of shingle sets)",
        f"  found works per page: LSH mean {statistics.mean(len(a) for a, _ in pairs):.1f}"
        f" (verifies at most max_candidates={cap}), brute mean {statistics.mean(len(b) for _, b in pairs):.1f}"
        f" max {max(len(b) for _, b in pairs)}",
        f"  agreement: identical found sets {same}/{n}; LSH found only works brute force found {subset}/{n};"
        f" brute's most-copied work found by LSH {top}/{len(with_any)};"
        f" LSH set == brute's top {cap} by copied words {top_cap}/{n}",
    ]
    if every["pages"]:
        label = f"brute: align against every work, no prefilter ({every['pages']} pages)"
        agree = sum(f == set(b) for f, (_, b) in zip(every["found"], pairs[:: every["step"]]))
        lines.append(
            f"  {label:<62} {1000 * every['align'] / every['pages']:9.1f} ms/page"
            f"   (+ {every['tokenize']:.1f} s tokenizing all works once);"
            f" same found works as the prefiltered brute force on {agree}/{every['pages']}"
        )
    return lines


# Reporting -------------------------------------------------------------------------


def wall(parts: list[Figures], begin: str = "start") -> float:
    return max(p["end"] for p in parts) - min(p[begin] for p in parts)


def found_summary(rows: list[tuple[str, str | None, list[tuple[str | None, str]]]], plans: dict[str, Any]) -> list[str]:
    """How many copies were found, and with which extent: the sanity check next to the speed."""
    by_kind: dict[str, list[tuple[Any, str | None, list[tuple[str | None, str]]]]] = {
        "copy": [], "partial": [], "unrelated": []}
    for name, error, matches in rows:
        by_kind[plans[name].kind].append((plans[name], error, matches))
    lines = []
    for kind, items in by_kind.items():
        errors = sum(1 for _, e, _ in items if e)
        if kind == "unrelated":
            flagged = sum(1 for _, _, m in items if m)
            lines.append(f"unrelated pages  {len(items):5d}   with any match {flagged}   errors {errors}")
            continue
        hit = [next((x for u, x in m if u == plan.work_url), None) for plan, _, m in items]
        extents = {e: hit.count(e) for e in ("full", "partial", "quote") if hit.count(e)}
        others = statistics.mean(len(m) - (h is not None) for (_, _, m), h in zip(items, hit)) if items else 0
        lines.append(f"{kind + ' pages':<16} {len(items):5d}   copied work found {sum(h is not None for h in hit)}"
                     f" {extents}   other works matched per page {others:.2f}   errors {errors}")
    return lines


def rate_row(name: str, n: int, parts: list[Figures], unit: str, target: float | None, begin: str = "start") -> str:
    """Items per wall second, and per CPU second of the busiest process (the rate on an idle machine)."""
    rate, cpu_rate = n / wall(parts, begin), n / max(p["cpu"] for p in parts)
    verdict = "" if target is None else f">= {target:<6.0f} {'yes' if rate >= target else 'NO'}"
    return f"  {name:<46} {rate:8.1f} {unit:<8} {cpu_rate:8.1f} {unit:<8} {load():5.2f}  {verdict}"


def row(name: str, value: float, unit: str, target: float | None = None) -> str:
    verdict = "" if target is None else f"<= {target:<6.0f} {'yes' if value <= target else 'NO'}"
    return f"  {name:<46} {value:8.1f} {unit:<8} {'':17} {'':5}  {verdict}"


def load() -> float:
    return os.getloadavg()[0]


def library_state() -> str:
    """The commit measured, and library files changed on top of it (others work in this checkout)."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %s"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "detector", "fingerprints"],
                               capture_output=True, text=True, check=True).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    changed = [line[3:] for line in dirty if line.strip()]
    return head + (f"; uncommitted changes in {', '.join(changed)}" if changed else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plain", action="store_true", help="recombine paragraphs without relabelling words")
    parser.add_argument("--brute-sample", type=int, default=100, help="pages compared with brute force (0: none)")
    parser.add_argument("--align-all", type=int, default=3, help="of those, pages aligned against every work")
    parser.add_argument("--profile-works", type=int, default=2000, help="works in the profiled register (0: none)")
    parser.add_argument("--profile-pages", type=int, default=500, help="pages in the profiled check (0: none)")
    parser.add_argument("--workdir", type=Path, help="keep the data and stores here (default: a temp dir)")
    args = parser.parse_args(argv)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        return run(args, args.workdir)
    with tempfile.TemporaryDirectory(prefix="bench-match-") as tmp:
        return run(args, Path(tmp))


def run(args: argparse.Namespace, workdir: Path) -> int:
    print("machine")
    for key, value in [*synth.machine(), ("library", library_state())]:
        print(f"  {key:<10} {value}")
    data = in_child(generate, workdir, args.works, args.pages, args.seed, not args.plain)
    k = data["kinds"]
    print(f"data (built in {data['seconds']:.0f} s, seed {args.seed})\n"
          f"  works  {args.works:,} synthetic posts, median {data['median_words']:.0f} words, recombining"
          f" {data['paragraphs']:,} paragraphs of {data['originals']} non-holdout originals (each paragraph in"
          f" {data['reuse']:.1f} works on average); words "
          f"{'NOT relabelled (--plain)' if args.plain else 'relabelled per work'}\n"
          f"  pages  {args.pages:,}: {k['copy']} verbatim copies, {k['partial']} partial copies,"
          f" {k['unrelated']} unrelated ({data['real_pages']} distinct real non-holdout pages, with chrome)",
          flush=True)
    posts = sorted(str(p) for p in (workdir / "posts").rglob("*.md"))
    pages = sorted(str(p) for p in (workdir / "pages").glob("*.html"))
    plans = {p.name: p for p in synth.read_plans(workdir / "pages")}
    header = f"  {'':46} {'wall':>8} {'':8} {'per CPU-s':>9} {'':7} {'load':>5}  target"
    lines = [header] + measure_register(workdir, posts)
    chk1, more = measure_check(workdir, pages)
    lines += more
    print(f"\nfigures ({len(posts):,} works, {len(pages):,} pages; 'per CPU-s' = items per CPU second of the"
          " busiest process, what an idle machine would give; load = 1-min load average after the phase)")
    print("\n".join(lines))
    print("\nsanity (1-process check)\n  " + "\n  ".join(found_summary(chk1["rows"], plans)), flush=True)
    if args.brute_sample:
        brute = in_child(brute_force, copy_store(workdir / "single.db", workdir / "brute.db"), workdir / "pages",
                         args.brute_sample, args.align_all, args.seed)
        print("\n" + "\n".join(brute["lines"]), flush=True)
    print_profiles(args, workdir, posts, pages)
    return 0


def measure_register(workdir: Path, posts: list[str]) -> list[str]:
    n = len(posts)
    one = in_child(register, workdir / "single.db", posts)
    lines = [rate_row("register, 1 process (Detector.register)", n, [one], "works/s", TARGETS["register"])]
    two = in_children(register, [(workdir / "two.db", posts[0::2]), (workdir / "two.db", posts[1::2])])
    lines.append(rate_row("register, 2 processes, 2 Detectors, 1 store", n, two, "works/s", TARGETS["register"]))
    pipe = in_child(register_pipeline, workdir / "pipe.db", posts, 2)
    lines.append(rate_row("register --workers 2 (2 signing + 1 writing)", n, [pipe], "works/s", TARGETS["register"]))
    added = [one["added"], sum(r["added"] for r in two), pipe["added"]]
    failed = [one["failed"], sum(r["failed"] for r in two), pipe["failed"]]
    print(f"registered {added} works, failed {failed} (1 process, 2 processes, pipeline)", flush=True)
    return lines + [
        row("peak RSS, register 1 process", one["rss"], "MB", TARGETS["rss"]),
        row("peak RSS, register 2 processes (each, max)", max(r["rss"] for r in two), "MB"),
        row("peak RSS, register writer + 2 workers (sum)", pipe["rss"] + 2 * pipe["workers_rss"], "MB"),
    ]


def measure_check(workdir: Path, pages: list[str]) -> tuple[Figures, list[str]]:
    m, db = len(pages), workdir / "single.db"
    one = in_child(check, copy_store(db, workdir / "check1.db"), pages)
    lines = [rate_row("check, 1 process (Detector.check)", m, [one], "pages/s", TARGETS["check"], "loaded")]
    shared = copy_store(db, workdir / "check2.db")
    two = in_children(check, [(shared, pages[0::2]), (shared, pages[1::2])])
    pool = in_child(check_pipeline, copy_store(db, workdir / "check-pool.db"), pages, 2)
    lines += [
        rate_row("check, 2 processes, 2 Detectors, 1 store", m, two, "pages/s", TARGETS["check"], "loaded"),
        rate_row("check --workers 2 (2 checking + 1 storing)", m, [pool], "pages/s", TARGETS["check"]),
        row("  CPU per page in each checking worker", 1000 * pool["workers_cpu"] / (m / 2), "ms"),
        row("  CPU per page in the storing process", 1000 * pool["parent_cpu"] / m, "ms"),
        row("check, 2 processes, counting catalog loads", m / wall(two), "pages/s"),
        row("catalog ready: load, shared blocks, sort (1 proc)", one["loaded"] - one["start"], "s"),
        row(f"catalog index arrays ({one['blocks']:,} block signatures)", one["index_mb"], "MB"),
        row("peak RSS, check 1 process", one["rss"], "MB", TARGETS["rss"]),
        row("  of which reached while the catalog was built", one["load_rss"], "MB"),
        row("peak RSS, check 2 processes (each, max)", max(c["rss"] for c in two), "MB"),
    ]
    return one, lines


def print_profiles(args: argparse.Namespace, workdir: Path, posts: list[str], pages: list[str]) -> None:
    if args.profile_works:
        sample = posts[: args.profile_works]
        prof = in_child(profiled, workdir / "profile.db", sample, "register")
        print(f"\nprofile: register {len(sample)} works into an empty store, {prof['seconds']:.1f} s under cProfile")
        print("top 15 by own time\n" + prof["tottime"] + "\ntop 15 by cumulative time\n" + prof["cumulative"])
    if args.profile_pages:
        sample = random.Random(args.seed).sample(pages, min(args.profile_pages, len(pages)))
        prof = in_child(profiled, copy_store(workdir / "single.db", workdir / "profile-check.db"), sample, "check")
        print(f"\nprofile: check {len(sample)} random pages against all works, {prof['seconds']:.1f} s under"
              " cProfile (catalog building excluded)")
        print("top 15 by own time\n" + prof["tottime"] + "\ntop 15 by cumulative time\n" + prof["cumulative"])


if __name__ == "__main__":
    sys.exit(main())
