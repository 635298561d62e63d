"""Checking many local files in worker processes.

Extracting, matching and classifying a page is nearly all of ``check``'s
time and needs no writes, so with many files it runs in a process pool.
Each worker opens the store for reading and maps the saved catalog (the
parent saves it first); the calling process stores every page and its
matches in input order, as a one-process run would.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .config import Config
from .errors import InputError
from .extract import Page
from .store import MatchRecord, PageRecord
from .workers import pool_map

if TYPE_CHECKING:
    from .api import Detector

__all__ = ["Analysed", "analyse_many", "POOL_MIN_PAGES"]

#: Fewer files than this are checked in the calling process: a worker takes a second or two to start.
POOL_MIN_PAGES = 100
_CHUNK = 8
_WORKER: dict[str, Any] = {}


@dataclass(frozen=True)
class Analysed:
    """One checked file before storing: its page record and classified matches, or the reason it failed."""

    arg: str
    record: PageRecord | None = None
    matches: list[MatchRecord] = field(default_factory=list)
    page: Page | None = None
    error: str | None = None


def analyse(detector: Detector, arg: str) -> Analysed:
    """Extract, match and classify one local file with ``detector``; nothing is stored."""
    try:
        document, page = detector.extract_to_check(arg)
    except InputError as error:
        return Analysed(arg, error=str(error))
    record, matches = detector.analyse(document.key, page, document.url)
    # detached, as Detector.check keeps its pages: pickling a page with its DOM would count the chrome of every
    # page, matched or not, just to send it back
    return Analysed(arg, record, matches, page.detached())


def _start(config: Config) -> None:
    from .api import Detector  # the worker's own detector: its store read-only in practice, its own matcher

    _WORKER["detector"] = Detector(config)


def _analyse(arg: str) -> Analysed:
    return analyse(_WORKER["detector"], arg)


def analyse_many(files: list[str], config: Config, workers: int) -> Iterator[Analysed]:
    """``analyse`` over local ``files`` in ``workers`` processes, results in input order."""
    return pool_map(_analyse, files, workers, _CHUNK, initializer=_start, initargs=(config,))
