"""Per-host politeness for a pool of fetch threads: one request per host at a time, and a delay between two.

Many hosts are crawled in parallel (the thread pool is the global limit),
but a host is handed to one thread at a time and only once its delay since
the end of its last request has passed: the larger of ``[crawl]
per_host_delay`` and the host's robots.txt Crawl-delay.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import deque
from collections.abc import Iterable
from typing import Generic, Protocol, TypeVar

__all__ = ["HostQueue"]

#: Waits never sleep longer than this, so a stop request is seen promptly.
_POLL = 0.25


class _HasHost(Protocol):
    @property
    def host(self) -> str: ...


T = TypeVar("T", bound=_HasHost)


class HostQueue(Generic[T]):
    """Tasks grouped by host; :meth:`take` hands out the next task whose host is free and rested."""

    def __init__(self, delay: float) -> None:
        self.default_delay = delay
        self._cond = threading.Condition()
        self._queues: dict[str, deque[T]] = {}
        self._ready: list[tuple[float, int, str]] = []
        self._scheduled: set[str] = set()
        self._busy: set[str] = set()
        self._delay: dict[str, float] = {}
        self._last: dict[str, float] = {}
        self._order = itertools.count()
        self._closed = False

    def add(self, tasks: Iterable[T]) -> None:
        with self._cond:
            for task in tasks:
                self._queues.setdefault(task.host, deque()).append(task)
                self._schedule(task.host)
            self._cond.notify_all()

    def _schedule(self, host: str) -> None:
        if host in self._busy or host in self._scheduled or not self._queues.get(host):
            return
        ready = self._last.get(host, float("-inf")) + self._delay.get(host, self.default_delay)
        heapq.heappush(self._ready, (ready, next(self._order), host))
        self._scheduled.add(host)

    def take(self, stop: threading.Event) -> T | None:
        """Block until a task is due; None once every queue is empty and no host is busy, or on stop."""
        with self._cond:
            while not (self._closed or stop.is_set()):
                if not self._ready:
                    if not self._busy:
                        return None
                    self._cond.wait(_POLL)
                    continue
                ready, _, host = self._ready[0]
                wait = ready - time.monotonic()
                if wait > 0:
                    self._cond.wait(min(wait, _POLL))
                    continue
                heapq.heappop(self._ready)
                self._scheduled.discard(host)
                self._busy.add(host)
                return self._queues[host].popleft()
            return None

    def release(self, host: str, requested: bool, delay: float | None = None) -> None:
        """The thread is done with ``host``; ``requested`` when it sent a request (the delay counts from now)."""
        with self._cond:
            self._busy.discard(host)
            if delay is not None:
                self._delay[host] = max(delay, self.default_delay)
            if requested:
                self._last[host] = time.monotonic()
            self._schedule(host)
            self._cond.notify_all()

    def delay(self, host: str) -> float:
        with self._cond:
            return self._delay.get(host, self.default_delay)

    def pace(self, host: str, stop: threading.Event, delay: float | None = None) -> bool:
        """Wait until ``host`` may be asked again, for a request made outside the pool; False on stop."""
        with self._cond:
            if delay is not None:
                self._delay[host] = max(delay, self.default_delay)
            ready = self._last.get(host, float("-inf")) + self._delay.get(host, self.default_delay)
        while (wait := ready - time.monotonic()) > 0:
            if stop.wait(min(wait, _POLL)):
                return False
        return True

    def mark_request(self, host: str) -> None:
        """A request to ``host`` just ended (made by :meth:`pace`'s caller or while holding the host)."""
        with self._cond:
            self._last[host] = time.monotonic()

    def state(self) -> tuple[dict[str, float], dict[str, float]]:
        """When each host was last asked and its delay, for a queue in another process (monotonic clock)."""
        with self._cond:
            return dict(self._last), dict(self._delay)

    def restore(self, state: tuple[dict[str, float], dict[str, float]]) -> None:
        with self._cond:
            self._last.update(state[0])
            self._delay.update(state[1])

    def close(self) -> None:
        """Wake every waiting thread and hand out nothing more."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
