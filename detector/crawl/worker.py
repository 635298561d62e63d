"""What one fetch thread does with one frontier task: robots.txt, pacing, a conditional GET, extraction.

Fetch threads never touch the store (one SQLite connection serves one
thread): they hand an :class:`Outcome` to the crawl's main thread, which
matches and stores it. Extraction runs here, in parallel, since the HTML
parser releases the GIL.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from ..config import Config
from ..errors import FetchError, FetchInterrupted
from ..extract import Page, extract_html, extract_text
from ..extract.binary import looks_binary
from ..store.frontier import Task
from .fetch import Fetched, Fetcher
from .hosts import HostQueue
from .robots import Robots

__all__ = ["Outcome", "FetchWorker", "is_unchanged"]

log = logging.getLogger("detector.crawl")


@dataclass(frozen=True)
class Outcome:
    """One task's result. ``kind``: fetched, robots, skipped, failed or interrupted (left pending)."""

    task: Task
    kind: str
    fetched: Fetched | None = None
    page: Page | None = None
    encoding: str | None = None
    reason: str = ""
    message: str = ""


def is_unchanged(task: Task, fetched: Fetched) -> bool:
    """The body is byte-identical to the one the stored page was made from: no need to match it again."""
    return task.page_id is not None and fetched.sha256 == task.sha256


class FetchWorker:
    """The loop each fetch thread runs until the host queue is drained or a stop is requested."""

    def __init__(self, config: Config, fetcher: Fetcher, robots: Robots, hosts: HostQueue[Task],
                 stop: threading.Event, deliver: Callable[[Outcome], None]) -> None:
        self.config = config
        self.fetcher = fetcher
        self.robots = robots
        self.hosts = hosts
        self.stop = stop
        self.deliver = deliver

    def run(self) -> None:
        while (task := self.hosts.take(self.stop)) is not None:
            requested = False
            delay: float | None = None
            try:
                outcome, requested, delay = self.handle(task)
            except Exception as error:  # a bug must not stall the crawl: the task is counted as failed
                log.exception("fetching %s failed unexpectedly", task.url)
                outcome = Outcome(task, "failed", reason="internal error", message=f"{type(error).__name__}: {error}")
            finally:
                self.hosts.release(task.host, requested, delay)
            self.deliver(outcome)

    def handle(self, task: Task) -> tuple[Outcome, bool, float | None]:
        """``(outcome, whether a request was sent, the host's delay)`` for one task."""
        ua = self.fetcher.user_agent
        requested = False
        try:
            rules, requested = self.robots.rules(task.url)
            if not rules.allowed(task.url, ua):
                kind, reason, detail = rules.refusal()
                return Outcome(task, kind, reason=reason, message=f"{task.url}: {detail}"), requested, None
            delay = max(rules.crawl_delay(ua) or 0.0, self.config.crawl.per_host_delay)
            if delay > self.config.crawl.max_crawl_delay:
                # nothing will be fetched from this host: its other pages are skipped now, not one per Crawl-delay
                return Outcome(task, "skipped", reason="crawl-delay too long"), requested, None
            if requested and self.stop.wait(delay):
                return Outcome(task, "interrupted"), requested, delay
            requested = True
            fetched = self.fetcher.get(task.url, headers=task.conditional_headers(), pause=delay)
        except FetchInterrupted:
            return Outcome(task, "interrupted"), requested, None
        except FetchError as error:
            return Outcome(task, "failed", reason=error.reason, message=str(error)), requested, None
        return self._extract(task, fetched), True, delay

    def _extract(self, task: Task, fetched: Fetched) -> Outcome:
        if fetched.status != 200 or is_unchanged(task, fetched):
            return Outcome(task, "fetched", fetched)
        if looks_binary(fetched.body):  # an image or archive served as text/html: a page of garbage otherwise
            return Outcome(task, "failed", reason="binary", message=f"{fetched.final_url}: looks like a binary file,"
                           f" not HTML, though served as {fetched.content_type or 'a page'}")
        text, encoding = fetched.text()
        if fetched.content_type == "text/plain":
            page = extract_text(text)
        else:
            page = extract_html(text, url=fetched.final_url)
        return Outcome(task, "fetched", fetched, page, encoding)

