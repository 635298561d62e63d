"""Benchmark ``detector scan``: records/s on a WARC with copies hidden among unrelated pages.

Builds ``--works`` synthetic posts (``_synth_posts.py``, as ``bench_match.py``)
and registers them, then writes one WARC laid out as Common Crawl lays out its
files, a ``request``, a ``response`` and a ``metadata`` record per capture, so
``--records`` records hold a third as many pages. ``--copies`` of the pages
copy a registered post: verbatim, spun (about 30% of the words) and partial,
each set into a real corpus page; the rest are real corpus pages. It saves the
catalog as ``detector register`` does, scans the file with ``--workers``
processes, reports records/s and pages/s (from the start of the pool, worker
start-up and loading the saved catalog included), then checks
the copy pages with ``Detector.check`` on a copy of the store and compares the
figures. Finally it measures what Spark would broadcast at this size.

    .venv/bin/python bench/bench_scan.py --works 10000 --records 20000 --copies 50 --workers 2
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _synth_posts as synth
from bench_match import children_cpu, copy_store, register_pipeline

from detector.api import Detector
from detector.config import load_config
from detector.extract import extract_html
from detector.heap import settle
from detector.scan import Bundle, Capture, scan_archives, write_warc
from detector.synth.corpus import default_corpus_root, sample_pages
from detector.synth.spinner import spin

FIGURES = ("work_url", "extent", "coverage", "similarity", "copied_words", "chrome", "chrome_score", "spun",
           "spun_score", "authorized", "takedown", "passages")


def detector(db: Path) -> Detector:
    return Detector(load_config(db=str(db)))


def copy_pages(posts: list[synth.SynthPost], count: int, folder: Path, seed: int) -> dict[str, Path]:
    """``count`` pages copying distinct posts (a third spun, a third partial), set into real pages."""
    rng = random.Random(seed)
    real = sample_pages(default_corpus_root(), "train", 10**6, rng)
    folder.mkdir(parents=True, exist_ok=True)
    pages: dict[str, Path] = {}
    for number, index in enumerate(rng.sample(range(len(posts)), count)):
        post, kind = posts[index], ("copy", "spun", "partial")[number % 3]
        paragraphs = post.registered_paragraphs()
        if kind == "spun":
            paragraphs = spin("\n\n".join(paragraphs), 0.3, rng)[0].split("\n\n")
        elif kind == "partial":
            size = max(3, round(len(paragraphs) * rng.uniform(0.25, 0.5)))
            start = rng.randrange(max(1, len(paragraphs) - size + 1))
            paragraphs = paragraphs[start : start + size]
        data, _ = synth._copy_page(real, number, paragraphs, post, kind == "partial", rng)
        path = folder / f"{kind}-{number:03d}.html"
        path.write_bytes(data)
        pages[f"https://copier{number % 7}.example/{kind}/{number}/"] = path
    return pages


def write_archive(path: Path, copies: dict[str, Path], records: int, seed: int) -> int:
    """A Common Crawl-like WARC: request, response, metadata per capture, the copies spread evenly."""
    rng = random.Random(seed + 1)
    real = sample_pages(default_corpus_root(), "train", 10**6, rng)
    captures = records // 3
    spots = dict(zip(range(0, captures, max(1, captures // max(1, len(copies)))), copies.items()))

    def triples():
        for number in range(captures):
            if number in spots:
                uri, body = spots[number][0], spots[number][1].read_bytes()
            else:
                uri, body = f"https://site{number % 997}.example/page/{number}/", real[number % len(real)].html
            host = uri.split("/")[2]
            yield Capture(uri, f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode(), kind="request")
            yield Capture(uri, body)
            yield Capture(uri, b"fetchTimeMs: 120\r\n", kind="metadata")

    return write_warc(path, triples())


def compare(scan_db: Path, check_db: Path, copies: dict[str, Path]) -> tuple[int, int]:
    """(copies found by scan, copies whose figures equal check's).

    Each copy is checked as ``detector check URL`` checks the page served at its
    URL (the chrome counts read the page's links relative to its URL).
    """
    with detector(scan_db) as scanned, detector(check_db) as checked:
        for uri, path in copies.items():
            checked.check_page(uri, extract_html(path.read_bytes(), url=uri), uri, uri)
        mine = {row["page_url"]: row for row in scanned.match_rows()}
        theirs = {row["page_url"]: row for row in checked.match_rows()}
    found = sum(uri in mine for uri in copies)
    same = sum(uri in mine and uri in theirs and all(mine[uri][k] == theirs[uri][k] for k in FIGURES)
               for uri in copies)
    return found, same


def broadcast_size(db: Path) -> dict[str, Any]:
    with detector(db) as det:
        start = time.perf_counter()
        catalog = det.matcher.catalog
        catalog.candidates(__import__("fingerprints").fingerprint("warm up the catalog index once."))
        load = time.perf_counter() - start
        bundle = Bundle.from_store(det.store, det.config)
        blocks = len(catalog.words) + len(catalog.skeletons)
        return {"catalog_load_s": round(load, 1), "blocks": blocks, "works": len(bundle.works),
                "index_mb": round((catalog.words.nbytes() + catalog.skeletons.nbytes()) / 1e6, 1),
                "bundle_mb": round(bundle.nbytes() / 1e6, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary folder)")
    args = parser.parse_args()
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-scan-"))
    workdir.mkdir(parents=True, exist_ok=True)
    for key, value in synth.machine():
        print(f"{key}: {value}")
    start = time.perf_counter()
    posts = synth.synthesize(args.works, args.seed)
    paths = [str(p) for p in synth.write_posts(posts, workdir / "posts")]
    db = workdir / "scan.db"
    registered = register_pipeline(db, paths, args.workers)
    with detector(db) as det:  # as `detector register` does after a change: save the catalog for later starts
        saving = time.perf_counter()
        det.prepare_catalog()
        saving = time.perf_counter() - saving
    copy_store(db, workdir / "check.db")
    copies = copy_pages(posts, args.copies, workdir / "copies", args.seed)
    warc = workdir / "bench.warc.gz"
    written = write_archive(warc, copies, args.records, args.seed)
    print(f"prepared in {time.perf_counter() - start:.0f} s: {registered['added']} works registered,"
          f" {written} records ({written // 3} responses, {len(copies)} copies), {warc.stat().st_size / 1e6:.0f} MB;"
          f" catalog built and saved after registering in {saving:.1f} s")

    settle()  # as the CLI's scan command does (its workers do the same)
    with detector(db) as det:
        start, cpu = time.perf_counter(), time.process_time() + children_cpu()
        summary = scan_archives(det, [str(warc)], args.workers)
        seconds, cpu = time.perf_counter() - start, time.process_time() + children_cpu() - cpu
    print(summary.line())
    found, same = compare(db, workdir / "check.db", copies)
    size = broadcast_size(db)
    result = {"workers": args.workers, "records": written, "pages": summary.pages, "seconds": round(seconds, 1),
              "records_per_s": round(written / seconds), "pages_per_s": round(summary.pages / seconds),
              "pages_per_s_per_worker": round(summary.pages / seconds / args.workers, 1),
              "cpu_s": round(cpu, 1), "records_per_s_idle": round(written / (cpu / args.workers)),
              "copies": len(copies), "found": found, "same_figures_as_check": same,
              "matched_pages": summary.matched_pages, **size}
    print(f"{written} records ({summary.pages} pages) in {seconds:.1f} s on {args.workers} workers:"
          f" {result['records_per_s']} records/s, {result['pages_per_s']} pages/s"
          f" ({result['pages_per_s_per_worker']} pages/s per worker)")
    print(f"CPU: {cpu:.1f} s in all processes; at {args.workers} fully used cores (an idle machine) that is"
          f" {result['records_per_s_idle']} records/s")
    print(f"copies found: {found} of {len(copies)}; same figures as check: {same} of {len(copies)};"
          f" pages with a match: {summary.matched_pages}")
    print(f"catalog: {size['works']} works, {size['blocks']} blocks, index {size['index_mb']} MB,"
          f" broadcast bundle (texts and signatures) {size['bundle_mb']} MB, loaded in {size['catalog_load_s']} s")
    print(json.dumps(result))
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if found == same == len(copies) else 1)


if __name__ == "__main__":
    main()
