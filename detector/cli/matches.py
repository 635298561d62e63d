"""``detector matches``: list the stored matches."""

from __future__ import annotations

import argparse
import json

from ..api import Detector
from ..errors import UsageError
from ..store.status import store_status
from .output import MATCH_HEADERS, match_rows, print_table


def run(args: argparse.Namespace, detector: Detector) -> int:
    found = detector.match_rows(state=args.state)
    if args.json:
        print(json.dumps(found, indent=2, ensure_ascii=False))
    elif not found and args.state:
        stored = sum(store_status(detector.store).matches_by_state.values())
        print(f"no {args.state} matches ({stored} stored in all)")
    elif not found:
        print("no matches stored yet (run 'detector check PAGE' or 'detector crawl')")
    else:
        print_table(match_rows(found), MATCH_HEADERS)
    return 0


def run_confirm(args: argparse.Namespace, detector: Detector) -> int:
    detector.store.set_states(args.ids, "confirmed", args.note)
    print(f"confirmed: {', '.join(map(str, args.ids))}")
    return 0


def run_dismiss(args: argparse.Namespace, detector: Detector) -> int:
    if not args.reason.strip():  # the reason is the record of why a copy was let be: it must say something
        raise UsageError("dismiss needs a --reason that says why (for example 'licensed to this site')")
    detector.store.set_states(args.ids, "dismissed", args.reason.strip())
    print(f"dismissed: {', '.join(map(str, args.ids))} ({args.reason}); later crawls keep them dismissed")
    return 0


def add(command) -> None:
    p = command("matches", run, "list stored matches", "detector matches\ndetector matches --json")
    p.add_argument("--json", action="store_true", help="print a JSON array of matches")
    p.add_argument("--state", choices=("new", "confirmed", "dismissed"), help="only matches in this state")

    p = command("confirm", run_confirm, "mark matches as confirmed copies (they stay in reports)",
                "detector confirm 12 15")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("--note", help="why, for your own records")

    p = command("dismiss", run_dismiss, "dismiss matches (false alarms, permitted uses); reports leave them out",
                "detector dismiss 7 --reason 'licensed to this site'")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("--reason", required=True, help="why it is not a copy to act on")
