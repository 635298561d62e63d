"""robots.txt per origin, following RFC 9309, parsed by protego (the parser Scrapy uses).

``urllib.robotparser`` applies the first matching rule and ignores
wildcards; RFC 9309 wants the longest match to win, with Allow winning a
tie, which protego implements. Answers map to rules as the RFC says: 2xx is
parsed, 4xx means everything is allowed ("unavailable"), 5xx or no answer
means nothing is ("unreachable"). We treat 429 like 5xx: a server asking us
to slow down is not inviting us in. Answers are cached for at most
``[crawl] robots_cache_hours`` (24 h at most, per the RFC), in the store so
that scheduled runs share them; an unreachable answer is kept for the
current run only, so one bad minute does not close a site for a day.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from protego import Protego

from ..errors import BlockedAddress, FetchError, FetchInterrupted, TooManyRedirects
from .fetch import Fetcher

__all__ = ["Robots", "Rules", "origin_of", "ROBOTS_MAX_BYTES"]

#: RFC 9309 asks crawlers to parse at least 500 KiB.
ROBOTS_MAX_BYTES = 512_000


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


@dataclass(frozen=True)
class Rules:
    """One origin's answer: ``status`` 0 means unreachable (no answer at all)."""

    status: int
    body: str
    fetched_at: float
    parser: Any = field(default=None, compare=False, repr=False)
    #: Why there was no answer (status 0): the fetch error, said in place of a plain "robots.txt".
    error: str = field(default="", compare=False)

    @classmethod
    def make(cls, status: int, body: str, fetched_at: float, error: str = "") -> Rules:
        parser = Protego.parse(body) if 200 <= status < 300 else None
        return cls(status, body, fetched_at, parser, error)

    def refusal(self) -> tuple[str, str, str]:
        """``(kind, reason, detail)`` of a page these rules forbid: ``robots`` when robots.txt says so;
        ``failed`` when there was no usable robots.txt (RFC 9309 then forbids everything), with the cause in
        ``detail``, so a dead host or a mistyped URL is not reported as a site that shuts the crawler out."""
        if self.parser is not None:
            return "robots", "robots.txt", "disallowed by robots.txt"
        reason = "robots.txt unreachable" if self.status == 0 else f"robots.txt answered {self.status}"
        return "failed", reason, reason + (f" ({self.error})" if self.error else "")

    @property
    def lasting(self) -> bool:
        """Worth caching beyond this run: a real answer, not a failure."""
        return 200 <= self.status < 500 and self.status != 429

    def allowed(self, url: str, user_agent: str) -> bool:
        if self.parser is not None:
            return bool(self.parser.can_fetch(url, user_agent))
        return self.lasting  # 4xx: allow all; 5xx, 429, unreachable: disallow all

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None


class Robots:
    """robots.txt rules per origin, fetched on first need and cached.

    ``load`` and ``save`` connect the cache to the store: ``load(origin)``
    returns a stored ``(status, body, fetched_at)`` or None; fetched answers
    wait in :meth:`drain` until the store's thread saves them.
    """

    def __init__(self, fetcher: Fetcher, max_age_hours: float,
                 load: Callable[[str], tuple[int, str, str] | None] | None = None) -> None:
        self.fetcher = fetcher
        self.max_age = min(max_age_hours, 24.0) * 3600
        self._load = load
        self._rules: dict[str, Rules] = {}
        self._fresh: list[tuple[str, Rules]] = []
        self._lock = threading.Lock()

    def preload(self, origins: set[str]) -> None:
        """Read the stored answers for ``origins`` (on the store's thread, before the fetch threads start)."""
        if self._load is None:
            return
        for origin in origins:
            stored = self._load(origin)
            if stored is None:
                continue
            status, body, fetched_at = stored
            when = datetime.fromisoformat(fetched_at).timestamp()
            if time.time() - when < self.max_age:
                self._rules[origin] = Rules.make(status, body, when)

    def export(self) -> list[tuple[str, int, str, float]]:
        """The cached answers, to hand to a fetch process (:meth:`seed`)."""
        with self._lock:
            return [(origin, r.status, r.body, r.fetched_at) for origin, r in self._rules.items()]

    def seed(self, rows: list[tuple[str, int, str, float]]) -> None:
        with self._lock:
            for origin, status, body, fetched_at in rows:
                self._rules[origin] = Rules.make(status, body, fetched_at)

    def keep(self, rows: list[tuple[str, int, str, str]]) -> None:
        """Queue answers a fetch process fetched (:meth:`drain` rows) for the store."""
        with self._lock:
            for origin, status, body, fetched_at in rows:
                self._fresh.append((origin, Rules.make(status, body, datetime.fromisoformat(fetched_at).timestamp())))

    def rules(self, url: str) -> tuple[Rules, bool]:
        """The rules for ``url``'s origin and whether a request was just made to fetch them."""
        origin = origin_of(url)
        with self._lock:
            cached = self._rules.get(origin)
        if cached is not None and time.time() - cached.fetched_at < self.max_age:
            return cached, False
        rules = self._fetch(origin)
        with self._lock:
            self._rules[origin] = rules
            if rules.lasting:
                self._fresh.append((origin, rules))
        return rules, True

    def _fetch(self, origin: str) -> Rules:
        now = time.time()
        try:
            fetched = self.fetcher.get(f"{origin}/robots.txt", accept=None, max_bytes=ROBOTS_MAX_BYTES, truncate=True)
        except (BlockedAddress, FetchInterrupted):
            raise
        except TooManyRedirects:
            return Rules.make(404, "", now)  # RFC 9309 2.3.1.2: may be taken as unavailable
        except FetchError as error:
            return Rules.make(0, "", now, str(error))
        return Rules.make(fetched.status, fetched.body.decode("utf-8", errors="replace"), now)

    def drain(self) -> list[tuple[str, int, str, str]]:
        """Answers fetched since the last call, as ``(origin, status, body, fetched_at ISO)`` rows to store."""
        with self._lock:
            fresh, self._fresh = self._fresh, []
        return [(origin, r.status, r.body, datetime.fromtimestamp(r.fetched_at, timezone.utc).isoformat())
                for origin, r in fresh]
