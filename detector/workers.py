"""Process pools for work that needs no store: their workers die with the parent.

A pool's workers block waiting for tasks. If the parent is killed (kill -9,
the OOM killer) nothing tells them, and they would wait forever as orphans
holding memory. A daemon thread notices the parent is gone (the worker is
re-parented) and ends the worker.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from .heap import settle

__all__ = ["start_worker", "process_pool", "pool_map"]

T = TypeVar("T")
R = TypeVar("R")

_POLL_SECONDS = 0.5


def start_worker() -> None:
    """Exit when the parent dies, and leave Ctrl-C to the parent.

    The parent cancels what is not started, and a worker waiting for its next
    task would die on Ctrl-C with a traceback. A long task (a whole archive)
    that must stop on Ctrl-C itself takes the signal back while it runs, as
    :func:`detector.scan.local._run_shard` does.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_POLL_SECONDS)
        os._exit(1)  # noqa: SLF001 - nothing to clean up: the parent that wanted the results is gone

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _start(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    start_worker()
    if initializer is not None:
        initializer(*initargs)
    settle()


def process_pool(workers: int, initializer: Callable[..., None] | None = None,
                 initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """``workers`` spawned processes that die with the parent, leave Ctrl-C to it, run ``initializer`` and
    settle their heap (:func:`detector.heap.settle`).

    A ProcessPoolExecutor, not a multiprocessing Pool: a worker that dies breaks the pool with an error
    instead of being restarted forever.
    """
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start,
                               initargs=(initializer, initargs))


def pool_map(function: Callable[[T], R], items: Iterable[T], workers: int, chunksize: int,
             initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()) -> Iterator[R]:
    """``map(function, items)`` in ``workers`` spawned processes, results in input order.

    For short tasks: workers leave Ctrl-C to the caller, and when the caller
    stops early (an error, Ctrl-C) the items not started yet are cancelled.
    """
    pool = process_pool(workers, initializer, initargs)
    try:
        yield from pool.map(function, items, chunksize=chunksize)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
