"""One process at a time per crawl scope, so that no page is fetched twice by two crawls at once.

Two processes that crawl the same sources into one store at the same time
(a manual ``detector crawl`` while ``detector schedule`` runs that source)
would resume the same run and both fetch its pending pages: twice the load
on the site, which the per-host delays exist to prevent. An exclusive lock
file beside the store, one per scope, lets the second process see the first
and step aside; the kernel drops it when its holder dies (:mod:`detector.lockfile`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import CrawlBusy
from ..lockfile import exclusive, holder

__all__ = ["scope_lock", "lock_path", "crawling"]


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


def crawling(store_path: str, scope: str) -> str | None:
    """Who is crawling ``scope`` into the store now ("pid 1234"), or None: then an unfinished run was interrupted."""
    return None if store_path == ":memory:" else holder(lock_path(store_path, scope))
