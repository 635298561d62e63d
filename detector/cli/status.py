"""``detector status``: what is registered, when each source was last crawled, what was found, what runs next."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timezone
from typing import Any

from ..api import Detector
from ..schedule import trigger_for
from ..store.status import scheduled_runs, store_status


def _when(value: str | float | None) -> str:
    if value is None:
        return "-"
    moment = datetime.fromtimestamp(value, timezone.utc) if isinstance(value, float) else datetime.fromisoformat(value)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _next_runs(detector: Detector) -> dict[str, str]:
    """Per source: the job store's next run, else what its schedule says would come next."""
    stored = scheduled_runs(detector.config.schedule.jobstore)
    now = datetime.now(timezone.utc)
    result: dict[str, str] = {}
    for source in detector.config.sources:
        if source.name in stored:
            result[source.name] = _when(stored[source.name])
        elif source.schedule:
            upcoming = trigger_for(source).get_next_fire_time(None, now)
            result[source.name] = f"{_when(upcoming.timestamp()) if upcoming else '-'} (once 'detector schedule' runs)"
        else:
            result[source.name] = "not scheduled"
    return result


def run(args: argparse.Namespace, detector: Detector) -> int:
    status = store_status(detector.store)
    next_runs = _next_runs(detector)
    if args.json:
        payload: dict[str, Any] = {
            "store": detector.store.path, "works": status.works, "pages": status.pages,
            "matches": status.matches_by_state, "takedowns_open": status.takedowns_open,
            "last_crawls": [{"scope": r.scope, "finished_at": r.finished_at, "summary": r.summary}
                            for r in status.last_runs],
            "unfinished_crawls": status.unfinished_runs, "next_runs": next_runs,
        }
        print(json.dumps(payload, indent=2))
        return 0
    states = status.matches_by_state
    print(f"store: {detector.store.path}")
    print(f"works registered: {status.works}    pages checked: {status.pages}")
    print(f"matches: {states['new']} new, {states['confirmed']} confirmed, {states['dismissed']} dismissed"
          f" ({status.takedowns_open} recommended for takedown)")
    print("last crawls:" if status.last_runs else "last crawls: none yet (run 'detector crawl')")
    for run_status in status.last_runs:
        s = run_status.summary
        counts = ", ".join(f"{k} {s[k]}" for k in ("fetched", "unchanged", "robots", "failed", "new_matches") if k in s)
        print(f"  {run_status.scope:30} {_when(run_status.finished_at)}  {counts}")
    if status.unfinished_runs:
        print(f"  {status.unfinished_runs} interrupted crawl(s) will resume on the next 'detector crawl'")
    print("sources:" if detector.config.sources else "sources: none in the config ([[sources]] in config.toml)")
    for source in detector.config.sources:
        print(f"  {source.name:20} {source.type:8} next run: {next_runs[source.name]}")
    return 0


def add(command) -> None:
    p = command("status", run, "show works registered, last crawl of each source, matches by state, next runs",
                "detector status\ndetector --config config.toml status --json")
    p.add_argument("--json", action="store_true", help="print the status as JSON")
