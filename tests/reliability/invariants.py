"""What a store must look like after any crash: every row whole, every reference resolved.

``store_problems`` opens the file as the next detector run would (so SQLite
replays or discards the write-ahead log exactly as it does in production)
and lists every broken promise; an empty list means the store is sound.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

KINDS = {"word3", "skeleton3"}


@contextmanager
def connect(db: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(db, timeout=30)
    try:
        yield connection
    finally:
        connection.close()


def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def store_problems(path: Path) -> list[str]:
    """Every way the store at ``path`` is not whole; [] when it is (a missing file is whole: nothing was written)."""
    if not path.exists() or path.stat().st_size == 0:
        return []
    with connect(path) as db:
        problems = [f"integrity_check: {row[0]}" for row in db.execute("PRAGMA integrity_check") if row[0] != "ok"]
        problems += [f"foreign key broken: {row}" for row in db.execute("PRAGMA foreign_key_check")]
        tables = _tables(db)
        if "works" in tables:
            problems += _works(db)
        if "matches" in tables:
            problems += _pages_and_matches(db)
        if "frontier" in tables:
            problems += _crawl(db)
    return problems


def _works(db: sqlite3.Connection) -> list[str]:
    problems = []
    for work_id, text, digest, words in db.execute("SELECT id, text, sha256, words FROM works"):
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != digest or words != len(text.split()):
            problems.append(f"work {work_id}: text does not match its sha256 or word count")
    signatures: dict[int, set[str]] = {}
    for work_id, kind, blocks, num_perm, blob in db.execute(
            "SELECT work_id, kind, blocks, num_perm, hashvalues FROM signatures"):
        signatures.setdefault(work_id, set()).add(kind)
        if len(blob) != blocks * num_perm * 4:
            problems.append(f"work {work_id}: {kind} signature has {len(blob)} bytes for {blocks}x{num_perm}")
    for (work_id,) in db.execute("SELECT id FROM works"):
        if signatures.get(work_id) != KINDS:
            problems.append(f"work {work_id}: signatures {sorted(signatures.get(work_id, ()))}, not both kinds")
    problems += [f"key {key}: {n} active versions" for key, n in db.execute(
        "SELECT key, COUNT(*) FROM works WHERE active = 1 GROUP BY key HAVING COUNT(*) > 1")]
    problems += [f"text {digest[:12]}: {n} active works" for digest, n in db.execute(
        "SELECT sha256, COUNT(*) FROM works WHERE active = 1 GROUP BY sha256 HAVING COUNT(*) > 1")]
    return problems


def _pages_and_matches(db: sqlite3.Connection) -> list[str]:
    problems = []
    for page_id, text, digest in db.execute("SELECT id, text, sha256 FROM pages"):
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
            problems.append(f"page {page_id}: text does not match its sha256")
    rows = db.execute(
        "SELECT m.id, m.passages, m.reasons, length(p.text), length(w.text), p.text IS NULL, w.text IS NULL"
        " FROM matches m LEFT JOIN pages p ON p.id = m.page_id LEFT JOIN works w ON w.id = m.work_id")
    for match_id, passages, reasons, page_len, work_len, no_page, no_work in rows:
        if no_page or no_work:
            problems.append(f"match {match_id}: its page or work is missing")
            continue
        json.loads(reasons)
        for p in json.loads(passages):
            if not (0 <= p["work_start"] < p["work_end"] <= work_len and 0 <= p["page_start"] < p["page_end"] <= page_len):
                problems.append(f"match {match_id}: passage {p} outside its texts")
    return problems


def _crawl(db: sqlite3.Connection) -> list[str]:
    problems = []
    for row in db.execute("SELECT id, state, page_id, snapshot_id, done_at FROM frontier"):
        entry, state, page_id, snapshot_id, done_at = row
        if state == "pending" and (page_id or snapshot_id or done_at):
            problems.append(f"frontier {entry}: pending but half recorded {row}")
        if state != "pending" and not done_at:
            problems.append(f"frontier {entry}: {state} without done_at")
        if state == "fetched":
            snap = db.execute("SELECT page_id FROM snapshots WHERE id = ?", (snapshot_id,)).fetchone()
            page = db.execute("SELECT 1 FROM pages WHERE id = ?", (page_id,)).fetchone()
            if snap is None or page is None or snap[0] != page_id:
                problems.append(f"frontier {entry}: fetched without its page and snapshot {row}")
    for snapshot_id, digest, body, compression in db.execute(
            "SELECT s.id, s.sha256, b.body, b.compression FROM snapshots s JOIN snapshot_bodies b ON b.sha256 = s.sha256"):
        data = zlib.decompress(body) if compression == "zlib" else bytes(body)
        if hashlib.sha256(data).hexdigest() != digest:
            problems.append(f"snapshot {snapshot_id}: body does not match its sha256")
    problems += [f"scope {scope}: {n} unfinished runs" for scope, n in db.execute(
        "SELECT scope, COUNT(*) FROM crawl_runs WHERE finished_at IS NULL GROUP BY scope HAVING COUNT(*) > 1")]
    problems += [f"run {run}: finished with {n} pending pages" for run, n in db.execute(
        "SELECT r.id, COUNT(*) FROM crawl_runs r JOIN frontier f ON f.run_id = r.id"
        " WHERE r.finished_at IS NOT NULL AND f.state = 'pending' GROUP BY r.id")]
    return problems


def count(path: Path, sql: str, *params: object) -> int:
    with connect(path) as db:
        return int(db.execute(sql, params).fetchone()[0])


def count_or_zero(path: Path, sql: str) -> int:
    """A count, or 0 when the store or its schema does not exist (yet)."""
    try:
        return count(path, sql) if path.exists() else 0
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return 0
        raise


def peek(path: Path, sql: str) -> int:
    """A count read without waiting or writing, while another process writes (0 before the schema exists)."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return int(db.execute(sql).fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0
