"""Read-only queries for takedown evidence: a match with its page, work and archived snapshot.

``detector report`` must never change the store it documents, so these
queries read outside any write transaction: a report can be written while a
crawl is running, and it never takes the write lock.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any

from .db import Store, decode_passages, decode_reasons, reading

__all__ = ["EvidenceRow", "SnapshotRow", "evidence_rows", "latest_snapshot", "snapshot_bytes"]


@dataclass(frozen=True)
class EvidenceRow:
    """One stored match with every page and work field a report shows (page text included)."""

    match: dict[str, Any]
    page: dict[str, Any]
    work: dict[str, Any]


@dataclass(frozen=True)
class SnapshotRow:
    """The archived HTTP answer a page's stored text was extracted from."""

    id: int
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    redirects: list[str]
    content_type: str
    encoding: str | None
    sha256: str
    size: int
    fetched_at: str


_PREFIXES = {"m": "match", "p": "page", "w": "work"}


def evidence_rows(store: Store, match_ids: list[int] | None = None) -> list[EvidenceRow]:
    """Matches (all, or those with ``match_ids``) with their page and work, oldest match first."""
    where = ""
    params: tuple[int, ...] = ()
    if match_ids is not None:
        where = f"WHERE m.id IN ({','.join('?' * len(match_ids))})"
        params = tuple(match_ids)
    columns = {
        "m": ("id", "page_id", "work_id", "extent", "coverage", "similarity", "copied_words", "chrome", "chrome_score",
              "spun", "spun_score", "authorized", "takedown", "reasons", "passages", "state", "state_reason",
              "page_sha256", "page_changed", "first_seen", "last_seen", "gone_since"),
        "p": ("id", "key", "url", "final_url", "title", "byline", "canonical", "published", "text", "sha256",
              "first_seen", "checked_at"),
        "w": ("id", "key", "version", "title", "author", "published", "url", "source", "sha256", "text", "words",
              "registered_at", "active"),
    }
    select = ", ".join(f"{alias}.{name} AS {alias}_{name}" for alias, names in columns.items() for name in names)
    rows = store._read(  # noqa: SLF001 - the store package reads its own connection
        f"SELECT {select} FROM matches m JOIN pages p ON p.id = m.page_id JOIN works w ON w.id = m.work_id"
        f" {where} ORDER BY m.id", params,
    )
    found = []
    for row in rows:
        parts: dict[str, dict[str, Any]] = {"m": {}, "p": {}, "w": {}}
        for key in row.keys():
            alias, name = key.split("_", 1)
            parts[alias][name] = row[key]
        with reading(store.path):
            parts["m"]["reasons"] = decode_reasons(parts["m"]["reasons"])
            parts["m"]["passages"] = decode_passages(parts["m"]["passages"])
        found.append(EvidenceRow(parts["m"], parts["p"], parts["w"]))
    return found


def latest_snapshot(store: Store, page_id: int) -> SnapshotRow | None:
    """The newest snapshot linked to the page: the fetch its current stored text came from, or None."""
    rows = store._read(  # noqa: SLF001 - see evidence_rows
        "SELECT s.id, s.url, s.final_url, s.status, s.headers, s.redirects, s.content_type, s.encoding, s.sha256,"
        " b.size, s.fetched_at FROM snapshots s JOIN snapshot_bodies b ON b.sha256 = s.sha256"
        " WHERE s.page_id = ? ORDER BY s.id DESC LIMIT 1", (page_id,),
    )
    if not rows:
        return None
    row = rows[0]
    with reading(store.path):
        return SnapshotRow(row["id"], row["url"], row["final_url"], row["status"], json.loads(row["headers"]),
                           json.loads(row["redirects"]), row["content_type"], row["encoding"], row["sha256"],
                           row["size"], row["fetched_at"])


def snapshot_bytes(store: Store, sha256: str) -> bytes:
    """The raw archived body with this sha256, decompressed exactly as the crawler stored it."""
    rows = store._read(  # noqa: SLF001 - see evidence_rows
        "SELECT compression, body FROM snapshot_bodies WHERE sha256 = ?", (sha256,))
    if not rows:
        raise KeyError(sha256)
    compression, body = rows[0]["compression"], bytes(rows[0]["body"])
    with reading(store.path):
        return zlib.decompress(body) if compression == "zlib" else body
