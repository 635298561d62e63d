"""The SQLite store: the only room that writes SQL.

Every work and every page with its matches is written in one transaction, so
a kill at any instant leaves either the whole result or none of it. WAL mode
lets readers (``report``, ``matches``) run while a crawl writes. SQLite
errors become the named store errors here, at the boundary.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import StoreCorrupt, StoreError, StoreFull, StoreLocked, StoreTooNew, UnknownMatch
from .records import MatchRecord, PageRecord, RegisterOutcome, SignatureRecord, StoredWork, WorkRecord, sha256_text
from .schema import MIGRATIONS

__all__ = ["Store", "sha256_text", "utcnow", "reading", "DAMAGED", "decode_passages", "decode_reasons"]

MATCH_STATES = ("new", "confirmed", "dismissed")


def utcnow() -> str:
    """Current UTC time, ISO 8601 with microseconds: the timestamps evidence carries."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


#: What reading a damaged file raises: SQLite's errors, and values that no longer decode (text that is not
#: UTF-8, JSON, compressed bodies, signature arrays of the wrong size, a column a damaged schema renamed).
DAMAGED = (sqlite3.Error, ValueError, IndexError, zlib.error)


def _translate(error: Exception, path: str) -> StoreError:
    text = (str(error).splitlines() or [type(error).__name__])[0][:200]
    message = text.lower()
    if not isinstance(error, sqlite3.Error) or "could not decode" in message:
        return StoreCorrupt(f"store {path} is not a valid detector database (a stored value does not decode:"
                            f" {type(error).__name__})")
    if "locked" in message or "busy" in message:
        return StoreLocked(f"store {path} is locked by another process")
    if "full" in message:
        return StoreFull(f"store {path}: disk or database is full")
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return StoreCorrupt(f"store {path} is not a valid detector database ({text})")
    if "readonly" in message or "unable to open" in message:
        return StoreError(f"store {path} cannot be written ({text}); check the path and its permissions")
    return StoreError(f"store {path}: {text}")


@contextmanager
def reading(path: str) -> Iterator[None]:
    """Read stored rows; what a damaged file makes the reading raise becomes a one-line store error."""
    try:
        yield
    except DAMAGED as error:
        raise _translate(error, path) from None


def _refuse_cut_short(path: Path) -> None:
    """Refuse a store file shorter than its own header says, unless a write-ahead log still holds the rest.

    SQLite reads the missing end of a cut file as zeros and carries on, so a
    truncated store would silently lose rows and then be written over.
    """
    try:
        size = path.stat().st_size
        with open(path, "rb") as file:
            header = file.read(100)
        wal = Path(f"{path}-wal")
        if len(header) < 100 or not header.startswith(b"SQLite format 3\0") or (wal.exists() and wal.stat().st_size):
            return
    except OSError:
        return
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big") if header[24:28] == header[92:96] else 0
    if page_size and (size % page_size or pages * page_size > size):
        raise StoreCorrupt(f"store {path} is not a valid detector database (the file is cut short:"
                           f" {size:,} bytes of {max(pages * page_size, size):,})")


class Store:
    """A detector database file. Open with :meth:`open`; use as a context manager to close."""

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: str | Path, busy_timeout: float = 30.0) -> Store:
        """Open (creating if needed) and migrate the store at ``path``.

        Refuses a file from a newer schema, and a file that is not a SQLite
        database, without changing it.
        """
        path = str(path)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            _refuse_cut_short(Path(path))
        try:
            connection = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
            store = cls(connection, path)
            store._configure(busy_timeout)
            store._migrate()
        except (sqlite3.Error, UnicodeDecodeError) as error:
            raise _translate(error, path) from None
        return store

    def _configure(self, busy_timeout: float) -> None:
        self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreTooNew(
                f"store {self.path} has schema version {version}; this detector knows up to {len(MIGRATIONS)}"
            )
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA foreign_keys = ON")

    def _migrate(self) -> None:
        with self.transaction():
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, len(MIGRATIONS)):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number + 1}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken eagerly so concurrent writers queue instead of deadlocking.

        Inside another transaction it is a savepoint of that one, so a caller
        can make several writes (a crawled page, its snapshot and its frontier
        entry) commit or vanish together.
        """
        if self._db.in_transaction:
            with self._savepoint():
                yield self._db
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except (sqlite3.Error, UnicodeDecodeError) as error:
            raise _translate(error, self.path) from None
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException as error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if isinstance(error, (sqlite3.Error, UnicodeDecodeError)):
                raise _translate(error, self.path) from None
            raise

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        self._db.execute("SAVEPOINT nested")
        try:
            yield
        except BaseException as error:
            if self._db.in_transaction:  # SQLite itself rolls it all back on a full disk or an I/O error
                self._db.execute("ROLLBACK TO nested")
                self._db.execute("RELEASE nested")
            if isinstance(error, (sqlite3.Error, UnicodeDecodeError)):
                raise _translate(error, self.path) from None
            raise
        self._db.execute("RELEASE nested")

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        try:
            cursor = self._db.execute(sql, params)
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()
        except (sqlite3.Error, UnicodeDecodeError) as error:
            raise _translate(error, self.path) from None

    # Works ---------------------------------------------------------------

    def add_work(self, work: WorkRecord, signatures: list[SignatureRecord]) -> RegisterOutcome:
        """Register ``work``: unchanged if its text is already registered, a new version if its key is.

        Registered text whose details changed (a title fixed in the front matter,
        an ``--url`` given later) gets the new details in place: the text, and so
        its signatures and version, are the same. A detail left out this time
        never erases the one on record.
        """
        digest = work.sha256
        with self.transaction() as db:
            same = db.execute("SELECT id, key, source, title, author, published, url FROM works"
                              " WHERE sha256 = ? AND active = 1", (digest,)).fetchone()
            if same:
                return self._relabel(db, same, work)
            previous = db.execute(
                "SELECT id, version FROM works WHERE key = ? AND active = 1", (work.key,)
            ).fetchone()
            version = previous[1] + 1 if previous else 1
            if previous:
                db.execute("UPDATE works SET active = 0 WHERE id = ?", (previous[0],))
            cursor = db.execute(
                "INSERT INTO works (key, version, title, author, published, url, source, sha256, text, words,"
                " registered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (work.key, version, work.title, work.author, work.published, work.url, work.source, digest,
                 work.text, work.words, utcnow()),
            )
            work_id = int(cursor.lastrowid or 0)
            db.executemany(
                "INSERT INTO signatures (work_id, kind, scheme, num_perm, seed, shingle, blocks, hashvalues)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(work_id, s.kind, s.scheme, s.num_perm, s.seed, s.shingle, len(s.hashvalues),
                  np.ascontiguousarray(s.hashvalues, dtype="<u4").tobytes()) for s in signatures],
            )
        if previous:
            return RegisterOutcome("updated", work_id, replaced=previous[0])
        return RegisterOutcome("added", work_id)

    @staticmethod
    def _relabel(db: sqlite3.Connection, row: tuple[Any, ...], work: WorkRecord) -> RegisterOutcome:
        """Give a registered text the details ``work`` brings, when ``work`` is that same post
        (same key or same source file); the same text from another post is left alone."""
        work_id, key, source, *details = row
        if work.key != key and work.source != source:
            return RegisterOutcome("unchanged", work_id)
        given = (work.title, work.author, work.published, work.url)
        merged = [new if new is not None else old for new, old in zip(given, details, strict=True)]
        new_key = work.url or key
        if new_key != key and db.execute("SELECT 1 FROM works WHERE key = ? AND active = 1 AND id != ?",
                                         (new_key, work_id)).fetchone():
            return RegisterOutcome("unchanged", work_id)  # the URL is another post's: keep the record as it is
        if merged == details and new_key == key:
            return RegisterOutcome("unchanged", work_id)
        db.execute("UPDATE works SET title = ?, author = ?, published = ?, url = ?, key = ? WHERE id = ?",
                   (*merged, new_key, work_id))
        return RegisterOutcome("relabelled", work_id)

    def signatures(self) -> Iterator[tuple[int, SignatureRecord]]:
        """Stored signatures of every active work, to rebuild the index after a restart.

        Streamed row by row (ordered by work), so a large catalog is never held twice.
        """
        with reading(self.path):
            cursor = self._db.execute(
                "SELECT s.work_id, s.kind, s.scheme, s.num_perm, s.seed, s.shingle, s.blocks, s.hashvalues"
                " FROM signatures s JOIN works w ON w.id = s.work_id WHERE w.active = 1 ORDER BY s.work_id"
            )
            for work_id, kind, scheme, num_perm, seed, shingle, blocks, blob in cursor:
                values = np.frombuffer(blob, dtype="<u4").reshape(blocks, num_perm)
                yield work_id, SignatureRecord(kind, scheme, num_perm, seed, shingle, values)

    def signature_specs(self) -> list[tuple[Any, ...]]:
        """(work id, text sha256, kind, scheme, num_perm, seed, shingle, blocks) of every active work's
        signatures: what the catalog is built from, without the hash values themselves."""
        rows = self._read(
            "SELECT s.work_id, w.sha256, s.kind, s.scheme, s.num_perm, s.seed, s.shingle, s.blocks"
            " FROM signatures s JOIN works w ON w.id = s.work_id WHERE w.active = 1 ORDER BY s.work_id, s.kind")
        return [tuple(row) for row in rows]

    def work(self, work_id: int) -> StoredWork:
        rows = self._read("SELECT * FROM works WHERE id = ?", (work_id,))
        if not rows:
            raise StoreError(f"no work with id {work_id}")
        with reading(self.path):
            return _work(rows[0])

    def works(self, active_only: bool = True) -> list[StoredWork]:
        where = "WHERE active = 1" if active_only else ""
        rows = self._read(f"SELECT * FROM works {where} ORDER BY id")
        with reading(self.path):
            return [_work(row) for row in rows]

    def count_works(self) -> int:
        return int(self._read("SELECT COUNT(*) AS n FROM works WHERE active = 1")[0]["n"])

    # Pages and matches ----------------------------------------------------

    def save_page(self, page: PageRecord, matches: list[MatchRecord]) -> int:
        """Store a checked page and its matches in one transaction; returns the page id.

        A match seen before keeps its id, first-seen time and triage state
        (a dismissed match stays dismissed); it is marked changed when the page
        text changed since. A match no longer found on the page is kept and
        marked gone, not deleted: a confirmed copy stays on record, and one that
        comes back (a cookie wall, a scraper rotating its pages) returns with
        its id and its triage state instead of as a new match.
        """
        digest = sha256_text(page.text)
        now = utcnow()
        with self.transaction() as db:
            row = db.execute("SELECT id FROM pages WHERE key = ?", (page.key,)).fetchone()
            values = (page.url, page.final_url, page.title, page.byline, page.canonical, page.published,
                      page.text, digest, now)
            if row:
                page_id = int(row[0])
                db.execute(
                    "UPDATE pages SET url=?, final_url=?, title=?, byline=?, canonical=?, published=?, text=?,"
                    " sha256=?, checked_at=? WHERE id=?", (*values, page_id),
                )
            else:
                cursor = db.execute(
                    "INSERT INTO pages (url, final_url, title, byline, canonical, published, text, sha256,"
                    " checked_at, key, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*values, page.key, now),
                )
                page_id = int(cursor.lastrowid or 0)
            self._replace_matches(db, page_id, digest, now, matches)
        return page_id

    @staticmethod
    def _replace_matches(
        db: sqlite3.Connection, page_id: int, digest: str, now: str, matches: list[MatchRecord]
    ) -> None:
        old = {r[0]: r for r in db.execute(
            "SELECT work_id, page_sha256, page_changed FROM matches WHERE page_id = ?", (page_id,))}
        keep = [m.work_id for m in matches]
        db.execute(
            f"UPDATE matches SET gone_since = ? WHERE page_id = ? AND gone_since IS NULL"
            f" AND work_id NOT IN ({','.join('?' * len(keep))})",
            (now, page_id, *keep),
        )
        for m in matches:
            figures = (m.extent, m.coverage, m.similarity, m.copied_words, int(m.chrome), m.chrome_score,
                       int(m.spun), m.spun_score, int(m.authorized), int(m.takedown),
                       json.dumps(m.reasons), json.dumps(m.passages))
            if m.work_id in old:
                changed = int(bool(old[m.work_id][2]) or old[m.work_id][1] != digest)
                db.execute(
                    "UPDATE matches SET extent=?, coverage=?, similarity=?, copied_words=?, chrome=?,"
                    " chrome_score=?, spun=?, spun_score=?, authorized=?, takedown=?, reasons=?, passages=?,"
                    " page_changed=?, last_seen=?, gone_since=NULL WHERE page_id=? AND work_id=?",
                    (*figures, changed, now, page_id, m.work_id),
                )
            else:
                db.execute(
                    "INSERT INTO matches (extent, coverage, similarity, copied_words, chrome, chrome_score, spun,"
                    " spun_score, authorized, takedown, reasons, passages, page_id, work_id, page_sha256,"
                    " first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*figures, page_id, m.work_id, digest, now, now),
                )

    def matches(self, state: str | None = None, page_id: int | None = None) -> list[tuple[MatchRecord, dict[str, Any]]]:
        """Stored matches with the page and work fields a listing needs, oldest first."""
        clauses: list[str] = []
        params: list[Any] = []
        if state is not None:
            clauses.append("m.state = ?")
            params.append(state)
        if page_id is not None:
            clauses.append("m.page_id = ?")
            params.append(page_id)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self._read(
            "SELECT m.*, p.key AS page_key, p.url AS page_url, p.final_url, p.canonical, w.url AS work_url,"
            " w.key AS work_key, w.title AS work_title FROM matches m JOIN pages p ON p.id = m.page_id"
            f" JOIN works w ON w.id = m.work_id {where} ORDER BY m.id", tuple(params),
        )
        with reading(self.path):
            return [(_match(row), dict(row)) for row in rows]

    def set_states(self, match_ids: Sequence[int], state: str, reason: str | None = None) -> None:
        """Triage matches (confirm, dismiss, or put back to new) in one transaction: all of them, or none when an
        id is unknown."""
        if state not in MATCH_STATES:
            raise ValueError(f"state must be one of {', '.join(MATCH_STATES)}, got {state!r}")
        with self.transaction() as db:
            unknown = [i for i in dict.fromkeys(match_ids)
                       if db.execute("UPDATE matches SET state = ?, state_reason = ? WHERE id = ?",
                                     (state, reason, i)).rowcount == 0]
            if unknown:  # raised inside the transaction: the ids that were known are rolled back too
                raise UnknownMatch(f"no match with id {', '.join(map(str, unknown))}; none was changed")

    def integrity_ok(self) -> bool:
        """Run SQLite's full integrity check."""
        return self._read("PRAGMA integrity_check")[0][0] == "ok"


def _work(row: sqlite3.Row) -> StoredWork:
    return StoredWork(
        row["id"], row["key"], row["version"], row["title"], row["author"], row["published"], row["url"],
        row["source"], row["sha256"], row["text"], row["words"], row["registered_at"],
    )


_OFFSETS = ("work_start", "work_end", "page_start", "page_end")


def decode_passages(text: str) -> list[dict[str, int]]:
    """A match's stored passages; ValueError unless they are the list of offsets the store writes."""
    passages = json.loads(text)
    if not isinstance(passages, list) or not all(
            isinstance(p, dict) and all(type(p.get(k)) is int for k in _OFFSETS) for p in passages):
        raise ValueError("passages are not a list of character offsets")
    return passages


def decode_reasons(text: str) -> list[str]:
    """A match's stored reasons; ValueError unless they are a list of strings."""
    reasons = json.loads(text)
    if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
        raise ValueError("reasons are not a list of strings")
    return reasons


def _match(row: sqlite3.Row) -> MatchRecord:
    return MatchRecord(
        work_id=row["work_id"], extent=row["extent"], coverage=row["coverage"], similarity=row["similarity"],
        copied_words=row["copied_words"], passages=decode_passages(row["passages"]), chrome=bool(row["chrome"]),
        chrome_score=row["chrome_score"], spun=bool(row["spun"]), spun_score=row["spun_score"],
        authorized=bool(row["authorized"]), takedown=bool(row["takedown"]), reasons=decode_reasons(row["reasons"]),
        id=row["id"], page_id=row["page_id"], state=row["state"], state_reason=row["state_reason"],
        page_changed=bool(row["page_changed"]), first_seen=row["first_seen"], last_seen=row["last_seen"],
        gone_since=row["gone_since"],
    )
