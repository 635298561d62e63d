"""Fetch and extract in a child process, so a big crawl uses a second core.

HTTP handling and HTML extraction cost about as much CPU as matching and
storing, and Python threads share one core. For a run with many pages the
fetch threads move to a child process (spawned, so nothing of the parent's
state leaks in) that sends outcomes back in small batches; the parent keeps
the store and the matcher, and records outcomes exactly as it does for its
own threads. The child ignores SIGINT (the terminal sends it to both): the
parent asks it to stop, and if the parent dies (kill -9) the child sees its
pipe close, stops, and exits; whatever it fetched and the parent never
stored is still pending in the frontier.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

from ..config import Config
from ..heap import settle
from ..store.frontier import Task
from .fetch import Fetcher
from .hosts import HostQueue
from .robots import Robots
from .worker import FetchWorker, Outcome

__all__ = ["FetchProcess"]

_BATCH = 32
_SPAWN = multiprocessing.get_context("spawn")


def _child(config: Config, tasks: list[Task], robots_rows: list[tuple[str, int, str, float]],
           pacing: tuple[dict[str, float], dict[str, float]], conn: Connection) -> None:
    """The child's main: run the fetch threads over ``tasks`` and stream their outcomes to ``conn``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    settle()
    stop = threading.Event()
    fetcher = Fetcher(config, stop)
    robots = Robots(fetcher, config.crawl.robots_cache_hours)
    robots.seed(robots_rows)
    hosts: HostQueue[Task] = HostQueue(config.crawl.per_host_delay)
    hosts.restore(pacing)  # the parent just read sources on some of these hosts
    hosts.add(tasks)
    outcomes: queue.Queue[Outcome] = queue.Queue(maxsize=4 * config.crawl.concurrency)  # the parent sets the pace

    def listen() -> None:
        try:
            conn.recv()  # "stop", or EOFError when the parent is gone
        except (EOFError, OSError):
            pass
        stop.set()

    threading.Thread(target=listen, daemon=True).start()
    workers = [threading.Thread(target=FetchWorker(config, fetcher, robots, hosts, stop, outcomes.put).run,
                                daemon=True) for _ in range(min(config.crawl.concurrency, len(tasks)))]
    for worker in workers:
        worker.start()
    try:
        for batch in _batches(outcomes, workers):
            conn.send(("outcomes", batch))
        conn.send(("robots", robots.drain()))
        conn.send(("done", None))
    except (BrokenPipeError, EOFError, OSError):
        stop.set()
    finally:
        fetcher.close()


def _batches(outcomes: queue.Queue[Outcome], workers: list[threading.Thread]) -> Iterator[list[Outcome]]:
    """Outcomes in batches of up to 32, or whatever arrived within 20 ms, until the threads are done."""
    while any(w.is_alive() for w in workers) or not outcomes.empty():
        batch: list[Outcome] = []
        try:
            batch.append(outcomes.get(timeout=0.25))
            while len(batch) < _BATCH:
                batch.append(outcomes.get(timeout=0.02))
        except queue.Empty:
            pass
        if batch:
            yield batch


class FetchProcess:
    """The parent's end: start the child, hand each outcome to ``record``, relay a stop request."""

    def __init__(self, config: Config, tasks: list[Task], robots: Robots, hosts: HostQueue[Task],
                 stop: threading.Event) -> None:
        self.robots = robots
        self.stop = stop
        self._conn, child_conn = _SPAWN.Pipe()
        self._process = _SPAWN.Process(target=_child, args=(config, tasks, robots.export(), hosts.state(), child_conn),
                                       name="detector-fetch", daemon=True)
        self._process.start()
        child_conn.close()

    def run(self, record: Callable[[Outcome], None]) -> None:
        """Record outcomes as they arrive until the child is done (or has died)."""
        asked_to_stop = False
        try:
            while True:
                if self.stop.is_set() and not asked_to_stop:
                    self._conn.send("stop")
                    asked_to_stop = True
                if not self._conn.poll(0.25):
                    if not self._process.is_alive():
                        return
                    continue
                kind, payload = self._receive()
                if kind == "done":
                    return
                self._handle(kind, payload, record)
        finally:
            self._conn.close()
            self._process.join()

    def _receive(self) -> tuple[str, Any]:
        try:
            message: tuple[str, Any] = self._conn.recv()
        except EOFError:
            return "done", None
        return message

    def _handle(self, kind: str, payload: Any, record: Callable[[Outcome], None]) -> None:
        if kind == "robots":
            self.robots.keep(payload)
        else:
            for outcome in payload:
                record(outcome)
