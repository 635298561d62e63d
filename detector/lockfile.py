"""Exclusive lock files that name their holder, for work only one process may do at a time.

The lock is the kernel's (``flock``), so it is released when its holder
ends, kill -9 included: a crashed process never leaves a stale lock to
clear. The file holds the holder's pid, for the message the next process shows.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["exclusive"]


@contextmanager
def exclusive(path: Path, refused: Callable[[str], Exception]) -> Iterator[None]:
    """Hold the lock on ``path`` for the ``with`` block.

    When another process holds it, raises ``refused(holder)`` at once, where
    ``holder`` is what that process wrote ("pid 1234").
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise refused(handle.read().strip() or "another process") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
