"""``detector scan`` and ``detector import``: look for copies in web archives, here or on Spark."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..api import Detector
from ..errors import UsageError
from ..scan import ScanSummary, expand_paths, scan_archives
from .output import err, workers


class _Bar:
    """Records scanned, with a rate, on a terminal; silent otherwise (the total is unknown up front)."""

    def __init__(self, quiet: bool) -> None:
        self.bar: Any = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(desc="scan", unit="record", file=sys.stderr, leave=False)

    def __call__(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _report(summary: ScanSummary) -> int:
    for error in summary.errors:
        err(error)
    print(summary.line())
    return 0 if summary.files > len(summary.failed_files) or summary.files == 0 else 1


def run_scan(args: argparse.Namespace, detector: Detector) -> int:
    paths = expand_paths(args.paths)
    if args.engine == "spark":
        from ..scan.spark import scan_on_spark

        summary = scan_on_spark(detector, paths, args.out, args.master)
        return _report(summary)
    if args.master:
        raise UsageError("--master is for --engine spark")
    bar = _Bar(args.quiet)
    try:
        summary = scan_archives(detector, paths, workers(args), bar)
    finally:
        bar.close()
    return _report(summary)


def run_import(args: argparse.Namespace, detector: Detector) -> int:
    from ..scan.spark import import_results

    summary = import_results(detector.store, args.directory)
    return _report(summary)


def add(command) -> None:
    p = command("scan", run_scan, "scan WARC and WET files (web archives, Common Crawl) for copies; store them",
                "detector scan CC-MAIN-20260101-00000.warc.gz crawl/*.warc.gz\n"
                "detector scan --engine spark --master spark://head:7077 warc.paths.gz")
    p.add_argument("paths", nargs="+", metavar="PATH|GLOB|LISTFILE",
                   help="archives, folders of archives, globs, or list files (.txt, .paths, .paths.gz)")
    p.add_argument("--engine", choices=("local", "spark"), default="local",
                   help="local: a process pool on this machine (default); spark: a Spark job (needs detector[spark])")
    p.add_argument("--workers", type=int, metavar="N", help="local worker processes (default: one per core)")
    p.add_argument("--master", metavar="URL", help="Spark master URL (default local[*]); --engine spark only")
    p.add_argument("--out", metavar="DIR", default="scan-results",
                   help="where the Spark job writes its Parquet results (default: scan-results)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = command("import", run_import, "load a Spark scan's Parquet results into the store",
                "detector import scan-results/")
    p.add_argument("directory", metavar="PARQUET_DIR")
