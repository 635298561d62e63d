"""Exclusive lock files that name their holder, for work only one process may do at a time.

The lock is the kernel's (``flock``), so it is released when its holder
ends, kill -9 included: a crashed process never leaves a stale lock to
clear. The file holds the holder's pid, for the message the next process shows.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["exclusive", "holder"]

#: How long :func:`holder` may hold a free lock while it looks; :func:`exclusive` waits this long once before
#: refusing, so that a look at the very moment a process starts never turns it away.
_PROBE_SECONDS = 0.2


def _take(fd: int, patience: float = 0.0) -> bool:
    """Take the lock without blocking; with ``patience``, try once more after that many seconds."""
    for attempt in range(2 if patience else 1):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if attempt == 0 and patience:
                time.sleep(patience)
    return False


def holder(path: Path) -> str | None:
    """Who holds the lock on ``path`` now ("pid 1234"), or None when nobody does.

    Looks without waiting and without creating the file. A free lock is taken
    and dropped at once.
    """
    try:
        handle = open(path, encoding="utf-8")
    except OSError:
        return None
    with handle:
        if _take(handle.fileno()):
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            return None
        return handle.read().strip() or "another process"


@contextmanager
def exclusive(path: Path, refused: Callable[[str], Exception]) -> Iterator[None]:
    """Hold the lock on ``path`` for the ``with`` block.

    When another process holds it, raises ``refused(holder)`` at once, where
    ``holder`` is what that process wrote ("pid 1234").
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        if not _take(handle.fileno(), patience=_PROBE_SECONDS):
            handle.seek(0)
            raise refused(handle.read().strip() or "another process")
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
