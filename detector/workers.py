"""What a worker process of a pool does at start: die with its parent, and maybe leave Ctrl-C to it.

A pool's workers block waiting for tasks. If the parent is killed (kill -9,
the OOM killer) nothing tells them, and they would wait forever as orphans
holding memory. A daemon thread notices the parent is gone (the worker is
re-parented) and ends the worker.
"""

from __future__ import annotations

import os
import signal
import threading
import time

__all__ = ["start_worker"]

_POLL_SECONDS = 0.5


def start_worker(ignore_interrupt: bool = False) -> None:
    """Exit when the parent dies; with ``ignore_interrupt``, leave Ctrl-C to the parent.

    Ignoring it suits short tasks the parent cancels (no traceback per worker);
    a worker on a long task (a whole archive) must stop on Ctrl-C itself.
    """
    if ignore_interrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_POLL_SECONDS)
        os._exit(1)  # noqa: SLF001 - nothing to clean up: the parent that wanted the results is gone

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
