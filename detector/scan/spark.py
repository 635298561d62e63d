"""``detector scan --engine spark``: the same scanner as a Spark job, one task per archive.

The driver reads the works' texts and signatures from the store once and
broadcasts them (a :class:`Bundle`); each task streams one WARC file through
a :class:`Scanner` built once per Python worker, and emits only the matches,
plus one row per file with its counts. The rows go to Parquet, which the
driver (or ``detector import`` on another machine) loads into the store.
pyspark is imported here only, so the local engine never needs it.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..api import Detector
from ..errors import DetectorError, InputError
from ..store import Store
from .engine import Bundle, Scanner
from .local import ScanSummary, Shard, ShardResult, scan_shard
from .results import ROW_FIELDS, hit_rows, hits_from_rows, store_hit
from .warc import Corrupt

__all__ = ["SparkMissing", "scan_on_spark", "import_results", "scan_file_rows", "ALL_FIELDS"]

_FILE_FIELDS = ("records", "pages", "failed_pages", "notes")
#: Every column of the Parquet output: ``kind`` is "match" (one per match) or "file" (one per archive).
ALL_FIELDS = ("kind", *ROW_FIELDS, *_FILE_FIELDS)
_TYPES = {"status": "int", "work_id": "long", "copied_words": "long", "records": "long", "pages": "long",
          "failed_pages": "long", "coverage": "double", "similarity": "double", "chrome_score": "double",
          "spun_score": "double", "chrome": "boolean", "spun": "boolean", "authorized": "boolean",
          "takedown": "boolean", "body": "binary"}


class SparkMissing(DetectorError):
    """The Spark engine (or ``detector import``) needs packages that are not installed."""

    hint = "install them with: pip install 'detector[spark]' (and Java 17 for Spark)"


def _schema() -> str:
    return ", ".join(f"{name} {_TYPES.get(name, 'string')}" for name in ALL_FIELDS)


def scan_file_rows(scanner: Scanner, path: str, max_bytes: int) -> Iterator[tuple[Any, ...]]:
    """What one task emits for one archive: a row per match, then the file's row."""
    result = scan_shard(scanner, Shard(path), max_bytes)
    for hit in result.hits:
        for row in hit_rows(hit):
            yield _ordered(dict(row, kind="match"))
    notes = {"error": result.error, "corrupt": [[c.offset, c.reason] for c in result.corrupt]}
    yield _ordered({"kind": "file", "warc_file": path, "records": result.records, "pages": result.pages,
                    "failed_pages": result.failed_pages, "notes": json.dumps(notes)})


def _ordered(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row.get(name) for name in ALL_FIELDS)


_SCANNERS: dict[str, Scanner] = {}


def _task(path: str, bundle: Any, token: str) -> Iterator[tuple[Any, ...]]:
    """Runs on an executor: the scanner is built once per Python worker and job (``token``)."""
    scanner = _SCANNERS.get(token)
    if scanner is None:
        _SCANNERS.clear()
        scanner = _SCANNERS[token] = Scanner.from_bundle(bundle.value)
    yield from scan_file_rows(scanner, path, scanner.config.fetch.max_bytes)


def _session(master: str | None) -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkMissing("--engine spark needs pyspark") from None
    master = master or "local[*]"
    builder = (SparkSession.builder.appName("detector-scan").master(master)
               .config("spark.ui.showConsoleProgress", str(sys.stderr.isatty()).lower()))
    if master.startswith("local"):  # local executors run this interpreter, where detector is installed
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        session = builder.getOrCreate()
    except Exception as error:  # noqa: BLE001 - py4j and JVM start failures come in many types
        raise DetectorError(f"cannot start Spark ({master}): {str(error).splitlines()[0]}"
                            " (Spark needs Java 17 or newer on the PATH or in JAVA_HOME)") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def scan_on_spark(detector: Detector, paths: list[str], out: str, master: str | None) -> ScanSummary:
    """Run the scan as a Spark job writing Parquet to ``out``, then load the results into the store."""
    spark = _session(master)
    try:
        bundle = spark.sparkContext.broadcast(Bundle.from_store(detector.store, detector.config))
        located = [p if "://" in p else os.path.abspath(p) for p in paths]
        tasks = spark.sparkContext.parallelize(located, max(1, len(located)))
        token = uuid.uuid4().hex
        rows = tasks.flatMap(lambda path: _task(path, bundle, token))
        spark.createDataFrame(rows, _schema()).write.mode("overwrite").parquet(out)
        bundle.destroy()
    finally:
        spark.stop()
    return import_results(detector.store, out)


def import_results(store: Store, directory: str | Path) -> ScanSummary:
    """Load a scan's Parquet output into the store: each page with its matches and WARC snapshot.

    Works are found by the digest of their text, so the results of a job run
    against a copy of the store load into this one; a match of a work this
    store does not have is left out. Loading twice changes nothing but last-seen times.
    """
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        raise SparkMissing("detector import needs pyarrow") from None
    if not Path(directory).exists():
        raise InputError(f"{directory}: no such Parquet directory")
    try:
        rows = parquet.read_table(str(directory)).to_pylist()
    except Exception as error:  # noqa: BLE001 - pyarrow raises several types for unreadable input
        raise InputError(f"{directory}: not a readable Parquet dataset ({error})") from None
    summary = ScanSummary()
    for row in rows:
        if row["kind"] == "file":
            summary.files += 1
            summary.add(_file_result(row))
    work_ids = {w.sha256: w.id for w in store.works()}
    for hit in hits_from_rows((r for r in rows if r["kind"] == "match"), work_ids):
        summary.matched_pages += 1
        summary.new_matches += store_hit(store, hit)
    return summary


def _file_result(row: dict[str, Any]) -> ShardResult:
    notes = json.loads(row["notes"] or "{}")
    path = row["warc_file"]
    return ShardResult(Shard(path), records=row["records"] or 0, pages=row["pages"] or 0,
                       failed_pages=row["failed_pages"] or 0, error=notes.get("error"),
                       corrupt=[Corrupt(path, offset, reason) for offset, reason in notes.get("corrupt", [])])
