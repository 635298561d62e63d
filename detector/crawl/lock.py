"""One process at a time per crawl scope, so that no page is fetched twice by two crawls at once.

Two processes that crawl the same sources into one store at the same time
(a manual ``detector crawl`` while ``detector schedule`` runs that source)
would resume the same run and both fetch its pending pages: twice the load
on the site, which the per-host delays exist to prevent. An exclusive lock
file beside the store, one per scope, lets the second process see the first
and step aside; the kernel drops it when its holder dies (:mod:`detector.lockfile`).

Scopes overlap: ``detector crawl`` covers every source, a scheduled run one of
them. So a run also holds one lock per source it covers, and a run that would
crawl a source another process is crawling steps aside too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from ..errors import CrawlBusy
from ..lockfile import exclusive, holder

__all__ = ["scope_lock", "sources_lock", "lock_path", "crawling"]


def lock_path(store_path: str, scope: str) -> Path:
    """The lock file of ``scope``'s crawls into the store at ``store_path``."""
    return Path(f"{store_path}.locks") / f"crawl-{hashlib.sha256(scope.encode()).hexdigest()[:16]}.lock"


@contextmanager
def scope_lock(store_path: str, scope: str) -> Iterator[None]:
    """Hold the crawl lock of ``scope``; raises :class:`CrawlBusy` at once if another process holds it.

    A store in memory belongs to one process, so it needs no lock.
    """
    if store_path == ":memory:":
        yield
        return
    with exclusive(lock_path(store_path, scope),
                   lambda holder: CrawlBusy(f"crawl of {scope or 'these sources'} is already running in {holder}")):
        yield


@contextmanager
def sources_lock(store_path: str, names: list[str]) -> Iterator[None]:
    """Hold the lock of each source in ``names``; raises :class:`CrawlBusy` naming the first one another
    process is crawling (a scheduled run of it during a manual crawl of everything, or the reverse)."""
    if store_path == ":memory:" or not names:
        yield
        return
    with ExitStack() as stack:
        for name in sorted(set(names)):  # one order everywhere: two runs never wait on each other's locks
            stack.enter_context(exclusive(lock_path(store_path, f"one-source:{name}"), _busy(name)))
        yield


def _busy(name: str) -> Callable[[str], CrawlBusy]:
    def refused(holder: str) -> CrawlBusy:
        return CrawlBusy(f"source {name} is being crawled in {holder}, so this crawl did not start (--source names"
                         " the sources to crawl now)")
    return refused


def crawling(store_path: str, scope: str) -> str | None:
    """Who is crawling ``scope`` into the store now ("pid 1234"), or None: then an unfinished run was interrupted."""
    return None if store_path == ":memory:" else holder(lock_path(store_path, scope))
