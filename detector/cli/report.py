"""``detector report``: write takedown evidence and a DMCA notice draft for stored matches."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..api import Detector
from ..errors import StoreError
from ..report import FORMATS, Selection, build_reports, write_reports
from ..report.errors import SelectionConflict
from ..report.notice import REQUIRED
from .output import err


def run(args: argparse.Namespace, detector: Detector) -> int:
    path = detector.config.store.path
    if path != ":memory:" and not Path(path).exists():
        raise StoreError(f"no store at {path} (run 'detector check' or 'detector crawl' first, or pass --db)")
    if sum((bool(args.ids), args.all, args.host is not None)) > 1:
        raise SelectionConflict("report: give match ids, --all or --host, not more than one")
    built = build_reports(detector.store, detector.config, Selection(tuple(args.ids), args.host))
    formats = tuple(dict.fromkeys(args.format or ["html"]))
    written = write_reports(detector.store, built.reports, Path(args.out), formats)
    for note in built.left_out:
        err(note)
    for item in written:
        report, n = item.report, len(item.report.copies)
        where = report.host + (f" (part {report.part} of {report.parts})" if report.parts > 1 else "")
        print(f"{where}: {n} cop{'ies' if n != 1 else 'y'}, {len(report.recommended)} recommended for takedown,"
              f" {len(item.snapshots)} snapshot{'s' if len(item.snapshots) != 1 else ''}"
              f" -> {', '.join(map(str, item.files))}")
    for caution in dict.fromkeys(c for item in written if item.report.notice for c in item.report.notice.cautions):
        err(f"check before you send: {caution}")
    lacking = {key for item in written if item.report.notice for key in item.report.notice.missing}
    missing = [key for key in REQUIRED if key in lacking]
    if missing:
        err(f"the notice lacks [author] {', '.join(missing)}: add them to the config and run 'detector report' again")
    return 0


def add(command: Any) -> None:
    p = command("report", run, "write takedown evidence and a DMCA notice draft, one report per copying host",
                "detector report                      # every host with copies to take down\n"
                "detector report --host scraper.example --format md\n"
                "detector report 12 15 --format json --out evidence/")
    p.add_argument("ids", nargs="*", type=int, metavar="MATCH_ID",
                   help="report these matches, even quotations and authorized copies (see 'detector matches')")
    p.add_argument("--all", action="store_true", help="every match recommended for takedown (the default)")
    p.add_argument("--host", metavar="HOST", help="only the copies on this host")
    p.add_argument("--format", action="append", choices=FORMATS,
                   help="html (default), md for email, json with every field; repeat for several")
    p.add_argument("--out", metavar="DIR", default="reports",
                   help="folder for the reports and snapshots (default: ./reports)")
