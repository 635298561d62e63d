"""``detector register``: add original posts to the store."""

from __future__ import annotations

import argparse

from ..api import Detector
from ..errors import DetectorError
from ..inputs import expand
from ..works import Overrides
from .output import Progress, err, workers


def run(args: argparse.Namespace, detector: Detector) -> int:
    targets = list(expand(args.inputs))
    if args.url and len(targets) > 1:
        raise DetectorError("--url names one work; give it with a single file or URL")
    progress = Progress(len(targets), "register", args.quiet)
    overrides = Overrides(author=args.author, url=args.url, title=args.title, published=args.published)
    summary = detector.register(targets, overrides, progress, workers=workers(args))
    progress.close()
    if summary.added or summary.updated:
        detector.prepare_catalog()  # a large catalog is saved now, so later commands start in a second
    for failure in summary.failed:
        err(failure)
    updated = f", {summary.updated} new version{'s' if summary.updated != 1 else ''}" if summary.updated else ""
    print(f"registered: {summary.added} added, {summary.unchanged} unchanged{updated}, {len(summary.failed)} failed")
    return 0 if summary.processed or not summary.failed else 1


def add(command) -> None:
    p = command("register", run, "register original posts (Markdown, HTML, text files, folders, URLs)",
                "detector register posts/\n"
                "detector register --author 'Ada Lovelace' --url https://ada.example/p/ essay.md")
    p.add_argument("inputs", nargs="+", metavar="PATH|URL")
    p.add_argument("--author", help="author name, overriding the document's")
    p.add_argument("--url", help="the post's canonical URL (one input only)")
    p.add_argument("--title", help="title, overriding the document's")
    p.add_argument("--published", metavar="DATE", help="publication date, e.g. 2024-05-01")
    p.add_argument("--workers", type=int, metavar="N",
                   help="processes reading and fingerprinting files when there are many (default: one per core)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
