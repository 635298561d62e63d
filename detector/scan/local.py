"""``detector scan`` on one machine: a process pool over shards of the archives, results stored as they come.

Each worker process opens the store read-only in spirit (it never writes)
and maps the catalog the parent saved, as ``check`` does. When there are
fewer files than workers, a file is cut into parts (byte ranges at record
boundaries for a file gzipped per record, every n-th record otherwise; see
:func:`~detector.scan.warc.read_archive`), so one large WARC still keeps
every core busy. Only pages that copy something come back to the parent,
which stores them one transaction each.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
from concurrent.futures import FIRST_COMPLETED, wait
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..api import Detector
from ..config import Config
from ..workers import process_pool
from .engine import Hit, Scanner
from .results import store_hit
from .warc import Corrupt, WarcError, gzipped_per_record, read_archive

__all__ = ["ScanSummary", "Shard", "ShardResult", "scan_archives", "scan_shard", "plan_shards"]

log = logging.getLogger(__name__)
Tick = Callable[[int], None]
_TICK_EVERY = 25
#: Parts of a gzipped archive per worker when the archives are fewer than the workers.
PARTS_PER_WORKER = 4


@dataclass(frozen=True)
class Shard:
    path: str
    index: int = 0
    count: int = 1


@dataclass
class ShardResult:
    """What one shard of one file gave: counts, skipped records, a file error, and the pages with copies."""

    shard: Shard
    records: int = 0
    pages: int = 0
    failed_pages: int = 0
    corrupt: list[Corrupt] = field(default_factory=list)
    error: str | None = None
    hits: list[Hit] = field(default_factory=list)


@dataclass
class ScanSummary:
    """Counts over a whole scan; ``failed_files`` and ``corrupt`` hold one-line messages."""

    files: int = 0
    records: int = 0
    pages: int = 0
    failed_pages: int = 0
    matched_pages: int = 0
    new_matches: int = 0
    failed_files: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return self.failed_files + self.corrupt

    def add(self, result: ShardResult) -> None:
        self.records += result.records
        self.pages += result.pages
        self.failed_pages += result.failed_pages
        self.corrupt += [f"{c.warc_file}: corrupt record at byte {c.offset} skipped ({c.reason})"
                         for c in result.corrupt]
        if result.error:
            self.failed_files.append(result.error)

    def line(self) -> str:
        failed = f", {self.failed_pages} pages failed" if self.failed_pages else ""
        return (f"scan: {self.files} files, {self.records} records, {self.pages} pages matched against the works,"
                f" {self.matched_pages} with copies, {self.new_matches} new matches, {len(self.corrupt)} corrupt"
                f" records skipped, {len(self.failed_files)} files failed{failed}")


def plan_shards(paths: list[str], workers: int) -> list[Shard]:
    """One shard per file, or the parts of a file (see :func:`read_archive`) when files are fewer than workers.

    A gzipped file is cut into :data:`PARTS_PER_WORKER` times more parts than
    workers, so a worker that finishes its part early takes another instead of
    idling while the last one ends; an uncompressed file is read whole by every
    part, so it gets one part per worker.
    """
    if workers <= 1 or not paths or len(paths) >= workers:
        return [Shard(path) for path in paths]
    per_file = -(-workers // len(paths))
    shards = []
    for path in paths:
        count = per_file * PARTS_PER_WORKER if gzipped_per_record(path) else per_file
        shards += [Shard(path, index, count) for index in range(count)]
    return shards


def scan_shard(scanner: Scanner, shard: Shard, max_bytes: int, tick: Tick | None = None) -> ShardResult:
    """Scan one shard; a corrupt record is skipped, an unreadable file ends the shard with its error."""
    result = ShardResult(shard)
    pending = 0
    try:
        for item in read_archive(shard.path, max_bytes, shard.index, shard.count):
            if isinstance(item, Corrupt):
                result.corrupt.append(item)
                continue
            result.records += 1
            pending += 1
            if pending == _TICK_EVERY and tick is not None:
                tick(pending)
                pending = 0
            if item is not None:
                result.pages += 1
                _scan_one(scanner, item, result)
    except WarcError as error:
        result.error = str(error) if shard.index == 0 else None
    if tick is not None and pending:
        tick(pending)
    return result


def _scan_one(scanner: Scanner, capture: Any, result: ShardResult) -> None:
    """One page; a page that makes the matcher fail is logged and counted, and the scan goes on."""
    try:
        hit = scanner.scan(capture)
    except Exception as error:  # noqa: BLE001 - one bad page must not end a scan of millions
        log.error("scanning %s (%s) failed: %s: %s", capture.uri, capture.record_id, type(error).__name__, error)
        result.failed_pages += 1
        return
    if hit is not None:
        result.hits.append(hit)


# Worker processes ----------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(config: Config, counter: Any, stop: Any) -> None:
    """Open the store and load the catalog; a failure is kept for the first shard to raise in the parent,
    where it keeps its type (a store error stays a one-line store error).

    Like every pool worker (:func:`~detector.workers.process_pool`) it ignores Ctrl-C, here and between
    shards; a shard stops on it while it runs (see ``_run_shard``). A worker waiting for its next shard
    would otherwise die on it with a traceback.
    """
    _WORKER.update(config=config, counter=counter, stop=stop)
    try:
        detector = Detector(config)
        _WORKER.update(detector=detector, scanner=Scanner.from_store(detector.store, detector.matcher, config))
    except Exception as error:  # noqa: BLE001 - re-raised in the parent by _run_shard
        _WORKER["error"] = error


def _tick(count: int) -> None:
    counter = _WORKER["counter"]
    with counter.get_lock():
        counter.value += count
    if _WORKER["stop"].is_set():  # the parent stopped (Ctrl-C, an error): this shard's result is not wanted
        raise KeyboardInterrupt


def _run_shard(shard: Shard) -> ShardResult:
    if "error" in _WORKER:
        raise _WORKER["error"]
    if _WORKER["stop"].is_set():  # handed over before the parent stopped, where cancelling cannot reach it
        raise KeyboardInterrupt
    config: Config = _WORKER["config"]
    # a shard is a whole archive or a long part of one: Ctrl-C must stop it here, not only in the parent
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return scan_shard(_WORKER["scanner"], shard, config.fetch.max_bytes, _tick)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def scan_archives(detector: Detector, paths: list[str], workers: int, progress: Tick | None = None) -> ScanSummary:
    """Scan every archive in ``paths`` with ``workers`` processes and store what copies a registered work."""
    summary = ScanSummary(files=len(paths))
    shards = plan_shards(paths, workers)
    if workers <= 1 or detector.config.store.path == ":memory:":
        scanner = Scanner.from_store(detector.store, detector.matcher, detector.config)
        for shard in shards:
            _collect(detector, summary, scan_shard(scanner, shard, detector.config.fetch.max_bytes, progress))
        return summary
    detector.prepare_catalog()  # built once here and memory-mapped by every worker, not built by each
    context = multiprocessing.get_context("spawn")
    counter = context.Value("q", 0)
    stop = context.Event()
    pool = process_pool(workers, _init_worker, (detector.config, counter, stop))
    try:
        pending = {pool.submit(_run_shard, shard) for shard in shards}
        seen = 0
        while pending:
            done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            value = counter.value
            if progress is not None and value > seen:
                progress(value - seen)
                seen = value
            for future in done:
                _collect(detector, summary, future.result())
    except BaseException:
        # Ctrl-C or an error: the shards not started are dropped, and the running ones end at their next
        # progress tick; otherwise the pool would scan every remaining shard before the command could stop
        stop.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return summary


def _collect(detector: Detector, summary: ScanSummary, result: ShardResult) -> None:
    summary.add(result)
    for hit in result.hits:
        summary.matched_pages += 1
        summary.new_matches += store_hit(detector.store, hit)
