"""``detector crawl`` and ``detector schedule``: crawl the configured sources now, or on their schedules."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..api import Detector
from ..config import Config, SourceConfig
from ..crawl.crawler import Crawler, adhoc_sources
from ..crawl.parsers import clean_url, url_problem
from ..errors import ConfigError, UsageError
from .output import err


class _Bar:
    """A progress bar on a terminal once the number of queued pages is known; silent otherwise."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc="crawl", unit="page", file=sys.stderr, leave=False)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@contextmanager
def stop_on_signals(stop: threading.Event, what: str) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop`` (the pages in flight finish and are stored); a second SIGINT aborts."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: object) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        err(f"stopping {what} after the pages in flight (Ctrl-C again to abort at once)")

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def selected_sources(config: Config, names: list[str] | None) -> list[SourceConfig]:
    """The configured sources named by ``--source`` (all of them when none is named)."""
    if not names:
        return list(config.sources)
    known = {s.name: s for s in config.sources}
    for name in names:
        if name not in known:
            listed = ", ".join(sorted(known)) or "none configured"
            raise ConfigError(f"config: no [[sources]] named '{name}' (known: {listed})")
    return [known[name] for name in dict.fromkeys(names)]


def _check_urls(*lists: list[str] | None) -> None:
    for url in (u for urls in lists for u in urls or ()):
        problem = url_problem(url)
        if problem:
            shown = url if len(url) <= 100 else url[:97] + "..."
            raise UsageError(f"{shown!r} {problem}")


#: Failed pages named one per line on stderr; the rest are only counted, so a dead site does not flood the terminal.
_FAILURES_SHOWN = 10


def run_crawl(args: argparse.Namespace, detector: Detector) -> int:
    _check_urls(args.url, args.sitemap, args.feed)
    adhoc = adhoc_sources(args.url or (), args.sitemap or (), args.feed or ())
    if args.url or adhoc:
        sources = (selected_sources(detector.config, args.source) if args.source else []) + adhoc
    else:
        sources = selected_sources(detector.config, args.source)
    if not sources and not args.url:
        raise ConfigError("config: nothing to crawl: add [[sources]] to the config or pass --url, --sitemap or --feed")
    stop = threading.Event()
    bar = _Bar(args.quiet)
    logging.basicConfig(level=logging.WARNING, format="detector: %(message)s")
    with stop_on_signals(stop, "the crawl"):
        summary = Crawler(detector, stop, bar).run(sources, [u for u in map(clean_url, args.url or ()) if u])
    bar.close()
    lines = summary.lines()
    for line in lines[: len(lines) - len(summary.source_errors)]:
        print(line)
    for problem in summary.source_errors:
        err(problem)
    for failure in summary.failures[:_FAILURES_SHOWN]:
        err(failure)
    if len(summary.failures) > _FAILURES_SHOWN:
        err(f"... and {len(summary.failures) - _FAILURES_SHOWN} more failed pages, counted by reason above")
    if summary.interrupted:
        return 130
    nothing = not summary.succeeded and (summary.failures or summary.failed or summary.source_errors)
    return 1 if nothing else 0


def run_schedule(args: argparse.Namespace, detector: Detector) -> int:
    from ..schedule import Schedule

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    stop = threading.Event()
    schedule = Schedule(detector, stop)
    with stop_on_signals(stop, "the scheduler"):
        if args.once:
            ran = schedule.run_due()
            print(f"ran {len(ran)} due job{'s' if len(ran) != 1 else ''}{': ' if ran else ''}{', '.join(ran)}")
        else:
            schedule.run_forever()
    return 130 if stop.is_set() and args.once else 0


def add(command: Any) -> None:
    p = command("crawl", run_crawl, "crawl the configured sources (or given URLs) and check every page",
                "detector crawl\ndetector crawl --source suspect-site\n"
                "detector crawl --sitemap https://scraper.example/sitemap.xml --quiet\n"
                "detector crawl --url https://scraper.example/a/ --url https://scraper.example/b/")
    p.add_argument("--source", action="append", metavar="NAME", help="crawl this [[sources]] entry (repeatable)")
    p.add_argument("--url", action="append", metavar="URL", help="crawl this page (repeatable)")
    p.add_argument("--sitemap", action="append", metavar="URL", help="crawl the pages of this sitemap (repeatable)")
    p.add_argument("--feed", action="append", metavar="URL", help="crawl the articles of this RSS/Atom feed")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = command("schedule", run_schedule, "run each source's crawl on its schedule, until stopped",
                "detector schedule\ndetector schedule --once   # run the jobs that are due, then exit")
    p.add_argument("--once", action="store_true", help="run every due job once and exit")
