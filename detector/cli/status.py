"""``detector status``: what is registered, when each source was last crawled, what was found, what runs next."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from ..api import Detector
from ..classify.rules import confirmed_over_canonical
from ..crawl.lock import crawling
from .output import print_table
from ..store.status import scheduled_runs, source_crawls, store_status


def _when(value: str | float | None) -> str:
    if value is None:
        return "-"
    moment = datetime.fromtimestamp(value, timezone.utc) if isinstance(value, float) else datetime.fromisoformat(value)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _next_runs(detector: Detector) -> dict[str, str]:
    """Per source: the job store's next run, else what its schedule says would come next."""
    from ..schedule import trigger_for  # apscheduler's job store brings SQLAlchemy: 0.3 s no other command needs

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


def resume_command(scope: str, configured: list[str]) -> str:
    """The crawl command whose scope is ``scope`` (see :func:`~detector.crawl.crawler.scope_of`): only the same
    sources and URLs resume an interrupted run."""
    words, named = ["detector crawl"], []
    for part in scope.split():
        kind, _, rest = part.partition(":")
        if kind == "source" and rest.startswith(("sitemap:", "feed:")):
            flag, _, url = rest.partition(":")
            words.append(f"--{flag} {url}")
        elif kind == "source":
            named.append(rest)
        elif kind == "urls":
            words.append("--url ... (the same URLs as before)")
    if named and sorted(named) != sorted(configured):
        words += [f"--source {name}" for name in named]
    return "'" + " ".join(words) + "'"


def run(args: argparse.Namespace, detector: Detector) -> int:
    status = store_status(detector.store)
    # confirmed copies the report makes takedowns although their stored flag is not (a carried-over canonical link)
    overruled = sum(1 for m, _ in detector.store.matches(state="confirmed")
                    if not m.gone_since and confirmed_over_canonical(m.state, m.takedown, m.extent, m.reasons))
    status = replace(status, takedowns_open=status.takedowns_open + overruled)
    next_runs = _next_runs(detector)
    # an unfinished run is either being crawled right now or was interrupted: its scope's lock tells which
    running = {scope: who for scope in status.unfinished_scopes
               if (who := crawling(str(detector.store.path), scope)) is not None}
    if args.json:
        payload: dict[str, Any] = {
            "store": detector.store.path, "works": status.works, "pages": status.pages,
            "matches": status.matches_by_state, "matches_gone": status.matches_gone,
            "takedowns_open": status.takedowns_open,
            "last_crawls": {name: {"finished_at": c.finished_at, "pages": c.states} for name, c in
                            source_crawls(detector.store, [s.name for s in detector.config.sources]).items()},
            "unfinished_crawls": status.unfinished_runs,
            "running_crawls": [{"scope": scope, "holder": who} for scope, who in running.items()],
            "next_runs": next_runs,
        }
        print(json.dumps(payload, indent=2))
        return 0
    states = status.matches_by_state
    print(f"store: {detector.store.path}")
    print(f"works registered: {status.works}    pages checked: {status.pages}")
    gone = f", {status.matches_gone} no longer on their page" if status.matches_gone else ""
    print(f"matches: {states['new']} new, {states['confirmed']} confirmed, {states['dismissed']} dismissed{gone}"
          f" ({status.takedowns_open} recommended for takedown)")
    crawls = source_crawls(detector.store, [source.name for source in detector.config.sources])
    for scope, who in running.items():
        print(f"crawl of {scope or 'the given URLs'} running now, in {who}")
    configured = [source.name for source in detector.config.sources]
    for scope in status.unfinished_scopes:
        if scope not in running:
            print(f"interrupted crawl of {scope or 'the given URLs'}: {resume_command(scope, configured)} resumes it")
    if not detector.config.sources:
        print("sources: none in the config ([[sources]] in config.toml)")
        return 0
    rows = []
    for source in detector.config.sources:
        crawl = crawls.get(source.name)
        last = f"{_when(crawl.finished_at)}: " + ", ".join(f"{n} {state}" for state, n in sorted(crawl.states.items())) \
            if crawl else "never crawled"
        rows.append([source.name, source.type, last, next_runs[source.name]])
    print("sources:")
    print_table(rows, ["name", "type", "last crawl", "next run"])
    return 0


def add(command) -> None:
    p = command("status", run, "show works registered, last crawl of each source, matches by state, next runs",
                "detector status\ndetector --config config.toml status --json")
    p.add_argument("--json", action="store_true", help="print the status as JSON")
