"""The crawl's state in the store: runs, the frontier, snapshots, validators and robots.txt answers.

The frontier lives here, not in memory, so a crawl killed at any instant
resumes where it stopped: a page's snapshot, its checked text and matches
and its frontier entry are written in one transaction (the caller opens it
with :meth:`Store.transaction` and :meth:`Frontier.record_fetch` nests in
it), so each page is either wholly done or still pending.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from .db import Store, reading, utcnow

__all__ = ["Frontier", "Run", "Task", "FetchedLike", "DONE_STATES", "save_snapshot"]

DONE_STATES = ("fetched", "unchanged", "robots", "failed", "skipped")


class FetchedLike(Protocol):
    """What a snapshot records of a fetch (``detector.crawl.Fetched`` fits)."""

    @property
    def url(self) -> str: ...
    @property
    def final_url(self) -> str: ...
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> dict[str, str]: ...
    @property
    def body(self) -> bytes: ...
    @property
    def fetched_at(self) -> str: ...
    @property
    def content_type(self) -> str: ...
    @property
    def redirects(self) -> tuple[str, ...]: ...
    @property
    def sha256(self) -> str: ...


@dataclass(frozen=True)
class Run:
    """One crawl run; ``resumed`` when it was left unfinished by an earlier process."""

    id: int
    scope: str
    started_at: str
    discovered: bool
    resumed: bool


@dataclass(frozen=True)
class Task:
    """A pending frontier entry with the validators of the URL's last fetch (for a conditional GET)."""

    id: int
    url: str
    source: str
    host: str
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    page_id: int | None = None

    def conditional_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def host_of(url: str) -> str:
    """The politeness key of a URL: its host and port, as robots.txt is per origin."""
    return urlsplit(url).netloc.lower()


class Frontier:
    """Crawl bookkeeping over one :class:`Store`; every method is one transaction (or nests in the caller's)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # Runs -----------------------------------------------------------------

    def open_run(self, scope: str) -> Run:
        """The unfinished run of ``scope`` (a crawl killed earlier), or a new one."""
        with self.store.transaction() as db:
            row = db.execute("SELECT id, started_at, discovered FROM crawl_runs WHERE scope = ? AND finished_at IS NULL"
                             " ORDER BY id DESC LIMIT 1", (scope,)).fetchone()
            if row:
                return Run(row[0], scope, row[1], bool(row[2]), resumed=True)
            now = utcnow()
            cursor = db.execute("INSERT INTO crawl_runs (scope, started_at) VALUES (?, ?)", (scope, now))
            return Run(int(cursor.lastrowid or 0), scope, now, False, resumed=False)

    def mark_discovered(self, run_id: int) -> None:
        """Every source of the run has been read: a resumed run skips straight to its pending pages."""
        with self.store.transaction() as db:
            db.execute("UPDATE crawl_runs SET discovered = 1 WHERE id = ?", (run_id,))

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        with self.store.transaction() as db:
            db.execute("UPDATE crawl_runs SET finished_at = ?, summary = ? WHERE id = ?",
                       (utcnow(), json.dumps(summary), run_id))

    def add(self, run_id: int, source: str, urls: Iterable[str], limit: int | None = None) -> int:
        """Queue ``urls`` for the run, at most ``limit`` new ones; a URL already queued is skipped, not counted."""
        added = 0
        with self.store.transaction() as db:
            for url in urls:
                if limit is not None and added >= limit:
                    break
                cursor = db.execute("INSERT OR IGNORE INTO frontier (run_id, url, source, host) VALUES (?, ?, ?, ?)",
                                    (run_id, url, source, host_of(url)))
                added += cursor.rowcount
        return added

    def stalest(self, run_id: int, urls: list[str], limit: int) -> tuple[list[str], int]:
        """The ``limit`` of ``urls`` not yet queued in the run to crawl first, and how many are left out.

        Never crawled ones come first in their listed order, then the ones crawled longest ago. A source
        over its cap is so crawled a slice at a time, all of it in turn, instead of its first ``limit`` URLs
        on every run.
        """
        with self.store.transaction() as db:
            queued = {u for (u,) in db.execute("SELECT url FROM frontier WHERE run_id = ?", (run_id,))}
        urls = [u for u in urls if u not in queued]
        if len(urls) <= limit:
            return urls, 0
        checked: dict[str, str] = {}
        with self.store.transaction() as db:
            for start in range(0, len(urls), 500):
                chunk = urls[start:start + 500]
                checked.update(db.execute(f"SELECT url, checked_at FROM url_state WHERE url IN"
                                          f" ({','.join('?' * len(chunk))})", chunk).fetchall())
        order = sorted(range(len(urls)), key=lambda i: (urls[i] in checked, checked.get(urls[i], ""), i))
        return [urls[i] for i in order[:limit]], len(urls) - limit

    def count(self, run_id: int, source: str | None = None) -> int:
        """Entries queued in the run (of one source when given), done or not."""
        sql, params = "SELECT COUNT(*) FROM frontier WHERE run_id = ?", [str(run_id)]
        if source is not None:
            sql += " AND source = ?"
            params.append(source)
        with self.store.transaction() as db:
            return int(db.execute(sql, params).fetchone()[0])

    def pending(self, run_id: int) -> list[Task]:
        """The run's entries not yet done, in queue order, with their URLs' validators.

        A URL last matched before the newest work was registered gets no validators: an
        unchanged page must still be matched against the posts registered since (a scraper
        often copied a post before its author registered it), so it is fetched and matched
        in full, once.
        """
        with self.store.transaction() as db:
            newest = db.execute("SELECT MAX(registered_at) FROM works WHERE active = 1").fetchone()[0] or ""
            rows = db.execute(
                "SELECT f.id, f.url, f.source, f.host, u.etag, u.last_modified, u.sha256, u.page_id, u.checked_at"
                " FROM frontier f LEFT JOIN url_state u ON u.url = f.url"
                " WHERE f.run_id = ? AND f.state = 'pending' ORDER BY f.id", (run_id,)).fetchall()
        return [Task(*row[:8]) if row[8] is not None and row[8] >= newest else Task(*row[:4]) for row in rows]

    # Outcomes -------------------------------------------------------------

    def is_done(self, task: Task) -> bool:
        """Whether ``task`` was closed since it was read: two processes can resume the same unfinished run."""
        with self.store.transaction() as db:
            row = db.execute("SELECT state FROM frontier WHERE id = ?", (task.id,)).fetchone()
        return row is None or row[0] != "pending"

    def record_fetch(self, task: Task, fetched: FetchedLike, encoding: str | None, page_id: int | None,
                     new_matches: int = 0, state: str = "fetched") -> int:
        """Store the snapshot of a 200 answer and close the task; returns the snapshot id.

        Call it inside the transaction that stored the page (``page_id``),
        so the page, its matches, its snapshot and the frontier move together.
        """
        with self.store.transaction() as db:
            snapshot_id = save_snapshot(db, fetched, encoding, page_id)
            _remember(db, task.url, fetched, page_id)
            _close(db, task.id, state, None, fetched.status, page_id, snapshot_id, new_matches)
        return snapshot_id

    def record_not_modified(self, task: Task, status: int) -> None:
        """A 304: the page is as last seen, so its matches are still live; nothing is fetched or matched."""
        now = utcnow()
        with self.store.transaction() as db:
            db.execute("UPDATE url_state SET checked_at = ? WHERE url = ?", (now, task.url))
            if task.page_id is not None:
                _touch_page(db, task.page_id, now)
            _close(db, task.id, "unchanged", None, status, task.page_id, None, 0)

    def record_unchanged(self, task: Task, fetched: FetchedLike, encoding: str | None) -> None:
        """A 200 whose body is byte-identical to the last one: keep the snapshot, skip the matching."""
        with self.store.transaction() as db:
            if task.page_id is not None:
                _touch_page(db, task.page_id, utcnow())
            snapshot_id = save_snapshot(db, fetched, encoding, task.page_id)
            _remember(db, task.url, fetched, task.page_id)
            _close(db, task.id, "unchanged", None, fetched.status, task.page_id, snapshot_id, 0)

    def record_failure(self, task: Task, state: str, reason: str, status: int | None = None) -> None:
        """Close a task that was skipped (robots.txt, caps) or failed, with a short reason."""
        with self.store.transaction() as db:
            _close(db, task.id, state, reason, status, None, None, 0)

    def summary(self, run_id: int) -> dict[str, Any]:
        """Counts by outcome over the whole run, including what a killed earlier process did."""
        with self.store.transaction() as db:
            rows = db.execute("SELECT state, reason, COUNT(*), SUM(new_matches) FROM frontier WHERE run_id = ?"
                              " GROUP BY state, reason", (run_id,)).fetchall()
            textless = db.execute("SELECT COUNT(*) FROM frontier f JOIN pages p ON p.id = f.page_id"
                                  " WHERE f.run_id = ? AND f.state = 'fetched' AND p.text = ''", (run_id,)).fetchone()[0]
        states: Counter[str] = Counter()
        failed: Counter[str] = Counter()
        new_matches = 0
        for state, reason, count, matches in rows:
            states[state] += count
            new_matches += matches or 0
            if state == "failed":
                failed[reason or "unknown"] += count
        return {"fetched": states["fetched"], "unchanged": states["unchanged"], "robots": states["robots"],
                "skipped": states["skipped"], "failed": dict(sorted(failed.items())), "pending": states["pending"],
                "new_matches": new_matches, "textless": textless}

    # robots.txt -----------------------------------------------------------

    def robots(self, origin: str) -> tuple[int, str, str] | None:
        """The last robots.txt answer for ``origin``: (status, body, fetched_at), or None."""
        with self.store.transaction() as db:
            row = db.execute("SELECT status, body, fetched_at FROM robots WHERE origin = ?", (origin,)).fetchone()
        return (int(row[0]), str(row[1]), str(row[2])) if row else None

    def save_robots(self, origin: str, status: int, body: str, fetched_at: str) -> None:
        with self.store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO robots (origin, status, body, fetched_at) VALUES (?, ?, ?, ?)",
                       (origin, status, body, fetched_at))

    # Snapshots ------------------------------------------------------------

    def snapshot_body(self, snapshot_id: int) -> bytes:
        """The raw bytes a snapshot recorded, decompressed (for reports and tests)."""
        with self.store.transaction() as db:
            row = db.execute("SELECT b.compression, b.body FROM snapshots s JOIN snapshot_bodies b"
                             " ON b.sha256 = s.sha256 WHERE s.id = ?", (snapshot_id,)).fetchone()
        if row is None:
            raise KeyError(snapshot_id)
        with reading(self.store.path):
            return zlib.decompress(row[1]) if row[0] == "zlib" else bytes(row[1])


def save_snapshot(db: sqlite3.Connection, fetched: FetchedLike, encoding: str | None, page_id: int | None) -> int:
    """Write one fetch's snapshot inside the caller's transaction (the body once per sha256); returns its id.

    ``check`` on a URL uses it too, so every fetched page carries its evidence.
    """
    digest = fetched.sha256
    if db.execute("SELECT 1 FROM snapshot_bodies WHERE sha256 = ?", (digest,)).fetchone() is None:
        db.execute("INSERT INTO snapshot_bodies (sha256, size, compression, body) VALUES (?, ?, 'zlib', ?)",
                   (digest, len(fetched.body), zlib.compress(fetched.body, 6)))
    cursor = db.execute(
        "INSERT INTO snapshots (url, final_url, status, headers, redirects, content_type, encoding, sha256,"
        " fetched_at, page_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (fetched.url, fetched.final_url, fetched.status, json.dumps(fetched.headers, sort_keys=True),
         json.dumps(list(fetched.redirects)), fetched.content_type, encoding, digest, fetched.fetched_at, page_id),
    )
    return int(cursor.lastrowid or 0)





def _remember(db: sqlite3.Connection, url: str, fetched: FetchedLike, page_id: int | None) -> None:
    """Keep the validators a later conditional GET of ``url`` sends."""
    db.execute(
        "INSERT OR REPLACE INTO url_state (url, etag, last_modified, sha256, page_id, checked_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (url, fetched.headers.get("etag"), fetched.headers.get("last-modified"), fetched.sha256, page_id, utcnow()),
    )


def _touch_page(db: sqlite3.Connection, page_id: int, now: str) -> None:
    """An unchanged page was seen live again: its matches' last-seen time is evidence."""
    db.execute("UPDATE pages SET checked_at = ? WHERE id = ?", (now, page_id))
    db.execute("UPDATE matches SET last_seen = ? WHERE page_id = ? AND gone_since IS NULL", (now, page_id))


def _close(db: sqlite3.Connection, task_id: int, state: str, reason: str | None, status: int | None,
           page_id: int | None, snapshot_id: int | None, new_matches: int) -> None:
    db.execute(
        "UPDATE frontier SET state = ?, reason = ?, status = ?, page_id = ?, snapshot_id = ?, new_matches = ?,"
        " done_at = ? WHERE id = ? AND state = 'pending'",
        (state, reason, status, page_id, snapshot_id, new_matches, utcnow(), task_id),
    )
