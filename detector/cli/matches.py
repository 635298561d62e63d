"""``detector matches``: list the stored matches."""

from __future__ import annotations

import argparse
import json

from ..api import Detector
from .output import MATCH_HEADERS, match_rows, print_table


def run(args: argparse.Namespace, detector: Detector) -> int:
    found = detector.match_rows(state=args.state)
    if args.json:
        print(json.dumps(found, indent=2, ensure_ascii=False))
    elif not found:
        print("no matches stored yet (run 'detector check PAGE' or 'detector crawl')")
    else:
        print_table(match_rows(found), MATCH_HEADERS)
    return 0


def add(command) -> None:
    p = command("matches", run, "list stored matches", "detector matches\ndetector matches --json")
    p.add_argument("--json", action="store_true", help="print a JSON array of matches")
    p.add_argument("--state", choices=("new", "confirmed", "dismissed"), help="only matches in this state")
