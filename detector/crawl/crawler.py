"""One crawl run: read the sources into the frontier, fetch in parallel, match and store page by page.

The main thread owns the store. It reads the sources, queues their URLs in
the frontier, starts ``[crawl] concurrency`` fetch threads, and records each
outcome as it arrives: a page's snapshot, text, matches and frontier entry
in one transaction. A run killed at any point is resumed by the next crawl
of the same scope; a stop request (Ctrl-C, SIGTERM) lets the pages in
flight finish and be recorded, and leaves the rest pending. Only one process
at a time crawls a scope (:mod:`.lock`).
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..config import SourceConfig
from ..errors import FetchInterrupted, StoreError
from ..extract import Page
from ..store.frontier import Frontier, Run, Task
from .fetch import AddressCheck, Fetched, Fetcher
from .hosts import HostQueue
from .lock import scope_lock, sources_lock
from .remote import FetchProcess
from .robots import Robots, origin_of
from .sources import Discovery
from .worker import FetchWorker, Outcome, is_unchanged

if TYPE_CHECKING:
    from ..api import Detector

__all__ = ["Crawler", "CrawlSummary", "adhoc_sources", "ADHOC"]

log = logging.getLogger("detector.crawl")

#: The source name of URLs given on the command line.
ADHOC = "--url"
#: (pages recorded, pages queued) after each page.
ProgressHook = Callable[[int, int], None]


#: A source is read up to this many times its page cap, so that each run can pick the URLs crawled longest ago.
_LOOKAHEAD = 4


@dataclass
class CrawlSummary:
    """What a run did, counted over the whole run (a resumed run includes the killed process's work)."""

    run_id: int
    resumed: bool
    fetched: int = 0
    unchanged: int = 0
    robots: int = 0
    skipped: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    pending: int = 0
    new_matches: int = 0
    source_errors: list[str] = field(default_factory=list)
    interrupted: bool = False
    #: Fetched pages with no text at all: usually built by JavaScript, so a crawler sees an empty frame.
    textless: int = 0
    #: "URL: what went wrong" for each page this process failed (a resumed run counts, but cannot name, the
    #: failures of the process before it).
    failures: list[str] = field(default_factory=list)
    #: What the run left for later and why (a source over its page cap).
    notes: list[str] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return self.fetched + self.unchanged + self.robots + self.skipped + sum(self.failed.values())

    @property
    def succeeded(self) -> int:
        """Pages the run settled without an error: fetched, unchanged, or left alone as robots.txt or a cap asks."""
        return self.fetched + self.unchanged + self.robots + self.skipped

    def lines(self) -> list[str]:
        """The closing summary, for a terminal or a log."""
        failed = sum(self.failed.values())
        reasons = ", ".join(f"{reason}: {n}" for reason, n in sorted(self.failed.items()))
        lines = [
            f"crawl run {self.run_id}{' (resumed)' if self.resumed else ''}"
            f"{', interrupted' if self.interrupted else ''}: {self.fetched} fetched, {self.unchanged} unchanged, "
            f"{self.robots} skipped by robots.txt, {self.skipped} skipped, {failed} failed"
            f"{f' ({reasons})' if reasons else ''}, {self.new_matches} new match{'es' if self.new_matches != 1 else ''}",
        ]
        if self.textless:
            lines.append(f"{self.textless} of the fetched pages had no text (a page built by JavaScript has none "
                         "until a browser runs it): save one from a browser and 'detector check' the saved file")
        if self.pending:
            lines.append(f"{self.pending} pages still pending; run the same crawl again to resume")
        return lines + self.notes + self.source_errors

    def as_dict(self) -> dict[str, Any]:
        return {"fetched": self.fetched, "unchanged": self.unchanged, "robots": self.robots, "skipped": self.skipped,
                "failed": self.failed, "pending": self.pending, "new_matches": self.new_matches,
                "source_errors": self.source_errors, "interrupted": self.interrupted, "textless": self.textless}


def adhoc_sources(urls: Sequence[str] = (), sitemaps: Sequence[str] = (), feeds: Sequence[str] = ()) -> list[SourceConfig]:
    """Sources for ``--sitemap`` and ``--feed`` flags (``--url`` pages need no source document)."""
    return ([SourceConfig(name=f"sitemap:{u}", type="sitemap", url=u) for u in sitemaps]
            + [SourceConfig(name=f"feed:{u}", type="feed", url=u) for u in feeds])


def scope_of(sources: Sequence[SourceConfig], urls: Sequence[str]) -> str:
    """What a run covers; an unfinished run of the same scope is resumed rather than started anew."""
    parts = sorted(f"source:{s.name}" for s in sources)
    if urls:
        parts.append("urls:" + hashlib.sha256("\n".join(sorted(set(urls))).encode()).hexdigest()[:16])
    return " ".join(parts)


class Crawler:
    """Runs one crawl with a :class:`Detector` (its store and matcher); use once."""

    def __init__(self, detector: Detector, stop: threading.Event | None = None,
                 progress: ProgressHook | None = None, check: AddressCheck | None = None) -> None:
        self.detector = detector
        self.config = detector.config
        self.stop = stop or threading.Event()
        self.progress = progress
        self.frontier = Frontier(detector.store)
        self.fetcher = Fetcher(self.config, self.stop, check)
        self._own_check = check
        self.robots = Robots(self.fetcher, self.config.crawl.robots_cache_hours, self.frontier.robots)
        self.hosts: HostQueue[Task] = HostQueue(self.config.crawl.per_host_delay)
        # Bounded, so fetch threads wait for the matcher instead of piling pages up in memory.
        self._results: queue.Queue[Outcome] = queue.Queue(maxsize=2 * self.config.crawl.concurrency)
        self._failures: list[str] = []
        self._notes: list[str] = []

    def run(self, sources: Sequence[SourceConfig], urls: Sequence[str] = ()) -> CrawlSummary:
        """Crawl ``sources`` and ``urls``; resumes this scope's unfinished run if there is one.

        Raises :class:`~detector.errors.CrawlBusy` when another process is crawling the same scope.
        """
        scope = scope_of(sources, urls)
        try:
            store = str(self.detector.store.path)
            with scope_lock(store, scope), sources_lock(store, [s.name for s in sources]):
                run = self.frontier.open_run(scope)
                errors = [] if run.discovered else self._discover(run, sources, urls)
                tasks = self.frontier.pending(run.id)
                if not self.stop.is_set():
                    self._fetch_all(tasks)
                self._save_robots()
                return self._finish(run, errors)
        finally:
            self.fetcher.close()

    def _discover(self, run: Run, sources: Sequence[SourceConfig], urls: Sequence[str]) -> list[str]:
        """Queue every source's URLs within the per-source and per-run caps; returns the sources' problems."""
        crawl = self.config.crawl
        self.frontier.add(run.id, ADHOC, urls, limit=max(crawl.max_pages_per_run - self.frontier.count(run.id), 0))
        room = crawl.max_pages_per_run - self.frontier.count(run.id)
        discovery = Discovery(self.config, self.fetcher, self.robots, self.hosts, self.stop)
        errors: list[str] = []
        for source in sources:
            if room <= 0:
                errors.append(f"source {source.name}: not read, [crawl] max_pages_per_run reached")
                continue
            cap = source.max_pages or crawl.max_pages_per_source
            try:
                found = discovery.read(source, cap * _LOOKAHEAD)
            except FetchInterrupted:
                return errors
            errors += found.errors
            chosen, left = self.frontier.stalest(run.id, found.urls, min(cap, room))
            if left:
                self._notes.append(f"source {source.name}: {left} of its"
                                   f" {len(found.urls)}{'+' if len(found.urls) >= cap * _LOOKAHEAD else ''} URLs left"
                                   f" for later runs (cap {min(cap, room)}); the ones never crawled, then the ones"
                                   " crawled longest ago, go first")
            self.frontier.add(run.id, source.name, chosen, limit=room)
            room = crawl.max_pages_per_run - self.frontier.count(run.id)
            self._save_robots()
        if not self.stop.is_set():
            self.frontier.mark_discovered(run.id)
        return errors

    def _fetch_all(self, tasks: list[Task]) -> None:
        """Fetch ``tasks`` on the thread pool and record each outcome here, as it arrives."""
        self.robots.preload({origin_of(t.url) for t in tasks})
        enough = self.config.crawl.fetch_process_pages
        if self._own_check is None and enough and len(tasks) >= enough:
            FetchProcess(self.config, tasks, self.robots, self.hosts, self.stop).run(self._counter(len(tasks)))
            return
        self.hosts.add(tasks)
        workers = [threading.Thread(target=FetchWorker(self.config, self.fetcher, self.robots, self.hosts, self.stop,
                                                       self._results.put).run, name=f"fetch-{n}", daemon=True)
                   for n in range(min(self.config.crawl.concurrency, len(tasks)))]
        for worker in workers:
            worker.start()
        try:
            self._collect(workers, len(tasks))
        finally:
            self.hosts.close()
            self._join(workers)

    def _join(self, workers: list[threading.Thread]) -> None:
        """Wait for the fetch threads; after a failure here, what they still deliver is dropped (it stays pending)."""
        for worker in workers:
            while worker.is_alive():
                worker.join(0.1)
                while not self._results.empty():
                    self._results.get_nowait()

    def _counter(self, total: int) -> Callable[[Outcome], None]:
        """``_record`` that also reports progress."""
        done = 0

        def record(outcome: Outcome) -> None:
            nonlocal done
            self._record(outcome)
            done += 1
            if self.progress:
                self.progress(done, total)

        return record

    def _collect(self, workers: list[threading.Thread], total: int) -> None:
        """Record outcomes until every task is accounted for, or the threads stopped and nothing is left."""
        record = self._counter(total)
        done = 0
        while (done < total and any(w.is_alive() for w in workers)) or not self._results.empty():
            try:
                outcome = self._results.get(timeout=0.25)
            except queue.Empty:
                continue
            record(outcome)
            done += 1

    def _record(self, outcome: Outcome) -> None:
        """Store one outcome; a page's snapshot, matches and frontier entry go in one transaction."""
        task, fetched = outcome.task, outcome.fetched
        if outcome.kind == "interrupted":
            return
        with self.detector.store.transaction():
            if self.frontier.is_done(task):
                return  # another process resumed the same run (a schedule during a manual crawl) and stored it
            if outcome.kind != "fetched" or fetched is None:
                self.frontier.record_failure(task, outcome.kind, outcome.reason)
                if outcome.kind == "failed":
                    self._failures.append(outcome.message or f"{task.url}: {outcome.reason}")
            elif fetched.not_modified:
                self.frontier.record_not_modified(task, fetched.status)
            elif fetched.status != 200:
                self.frontier.record_failure(task, "failed", f"http {fetched.status}", fetched.status)
                self._failures.append(f"{task.url}: HTTP status {fetched.status}")
            elif is_unchanged(task, fetched):
                self.frontier.record_unchanged(task, fetched, None)
            elif outcome.page is None:
                self.frontier.record_failure(task, "failed", "not extracted", fetched.status)
            else:
                self._check(task, fetched, outcome.page, outcome.encoding)

    def _check(self, task: Task, fetched: Fetched, page: Page, encoding: str | None) -> None:
        """Match and store the page with its snapshot and frontier entry, all or nothing.

        A page that makes the matcher fail is logged and counted as failed
        rather than stopping the run: otherwise it would stay pending and
        stop every later run of an unattended schedule at the same place.
        """
        try:
            with self.detector.store.transaction():
                page_id, matches = self.detector.check_page(fetched.final_url, page, fetched.final_url,
                                                            fetched.final_url)
                new = sum(1 for m in matches if m.first_seen == m.last_seen)
                self.frontier.record_fetch(task, fetched, encoding, page_id, new)
        except StoreError:
            raise
        except Exception as error:  # noqa: BLE001 - see the docstring
            log.error("checking %s failed: %s: %s", task.url, type(error).__name__, error)
            self.frontier.record_failure(task, "failed", "check error")
            self._failures.append(f"{task.url}: check error ({type(error).__name__})")

    def _save_robots(self) -> None:
        for row in self.robots.drain():
            self.frontier.save_robots(*row)

    def _finish(self, run: Run, errors: list[str]) -> CrawlSummary:
        counts = self.frontier.summary(run.id)
        summary = CrawlSummary(run.id, run.resumed, counts["fetched"], counts["unchanged"], counts["robots"],
                               counts["skipped"], counts["failed"], counts["pending"], counts["new_matches"],
                               errors, interrupted=self.stop.is_set(), textless=counts["textless"],
                               failures=list(self._failures), notes=list(self._notes))
        if not summary.interrupted and summary.pending == 0:
            self.frontier.finish_run(run.id, summary.as_dict())
        return summary
