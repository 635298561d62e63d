"""Read-only queries behind ``detector status``: what is registered, crawled and found."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from .db import DAMAGED, Store

__all__ = ["StoreStatus", "RunStatus", "SourceCrawl", "store_status", "scheduled_runs", "source_crawls"]


@dataclass(frozen=True)
class SourceCrawl:
    """One source's part of its latest finished crawl: when, and how its pages ended."""

    finished_at: str
    states: dict[str, int]


@dataclass(frozen=True)
class RunStatus:
    """The latest finished crawl of one scope."""

    scope: str
    finished_at: str
    summary: dict[str, Any]


@dataclass(frozen=True)
class StoreStatus:
    works: int
    pages: int
    matches_by_state: dict[str, int]
    takedowns_open: int
    #: Matches whose copy was no longer on the page when it was last checked (counted in their states too).
    matches_gone: int = 0
    last_runs: list[RunStatus] = field(default_factory=list)
    #: The scopes of the unfinished runs: each is being crawled now, or was interrupted.
    unfinished_scopes: list[str] = field(default_factory=list)

    @property
    def unfinished_runs(self) -> int:
        return len(self.unfinished_scopes)


def store_status(store: Store) -> StoreStatus:
    """Counts and the last crawl of every scope, in one read."""
    db = store._db  # noqa: SLF001 - the store's own package
    try:
        works = db.execute("SELECT COUNT(*) FROM works WHERE active = 1").fetchone()[0]
        pages = db.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
        states = dict(db.execute("SELECT state, COUNT(*) FROM matches GROUP BY state").fetchall())
        takedowns = db.execute("SELECT COUNT(*) FROM matches WHERE takedown = 1 AND state != 'dismissed'"
                               " AND gone_since IS NULL").fetchone()[0]
        gone = db.execute("SELECT COUNT(*) FROM matches WHERE gone_since IS NOT NULL").fetchone()[0]
        runs = _runs(db)
    except DAMAGED as error:
        from .db import _translate

        raise _translate(error, store.path) from None
    return StoreStatus(works, pages, {s: states.get(s, 0) for s in ("new", "confirmed", "dismissed")}, takedowns,
                       gone, runs[0], runs[1])


def _runs(db: sqlite3.Connection) -> tuple[list[RunStatus], list[str]]:
    exists = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'crawl_runs'").fetchone()
    if not exists:
        return [], []
    rows = db.execute(
        "SELECT scope, MAX(finished_at), summary FROM crawl_runs WHERE finished_at IS NOT NULL GROUP BY scope"
        " ORDER BY MAX(finished_at) DESC").fetchall()
    unfinished = [row[0] for row in db.execute("SELECT scope FROM crawl_runs WHERE finished_at IS NULL ORDER BY id")]
    return [RunStatus(scope, finished, json.loads(summary or "{}")) for scope, finished, summary in rows], unfinished


def scheduled_runs(jobstore: str) -> dict[str, float]:
    """Next run time (epoch seconds) per job id, read from APScheduler's job table without unpickling."""
    try:
        db = sqlite3.connect(f"file:{jobstore}?mode=ro", uri=True)
    except sqlite3.Error:
        return {}
    try:
        rows = db.execute("SELECT id, next_run_time FROM apscheduler_jobs").fetchall()
    except sqlite3.Error:
        return {}
    finally:
        db.close()
    return {job: when for job, when in rows if when is not None}


def source_crawls(store: Store, names: list[str]) -> dict[str, SourceCrawl]:
    """For each source name, its pages in the latest finished run that covered it."""
    db = store._db  # noqa: SLF001 - the store's own package
    result: dict[str, SourceCrawl] = {}
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'frontier'").fetchone():
        return result
    for name in names:
        row = db.execute(
            "SELECT r.id, r.finished_at FROM crawl_runs r WHERE r.finished_at IS NOT NULL AND"
            " EXISTS (SELECT 1 FROM frontier f WHERE f.run_id = r.id AND f.source = ?)"
            " ORDER BY r.finished_at DESC LIMIT 1", (name,)).fetchone()
        if row:
            states = dict(db.execute("SELECT state, COUNT(*) FROM frontier WHERE run_id = ? AND source = ?"
                                     " GROUP BY state", (row[0], name)).fetchall())
            result[name] = SourceCrawl(row[1], states)
    return result
