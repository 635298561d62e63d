"""Scan results in and out: store a :class:`Hit` as ``crawl`` stores a page, and flatten it to rows.

A hit is stored in one transaction: the page, its matches and a snapshot
whose body is the archived payload and whose headers are the WARC fields
(target URI, date, record ID, payload digest, file), the evidence a report
shows for an archived copy. The rows are what a Spark task writes to
Parquet, one per match, and what ``detector import`` reads back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..store import MatchRecord, PageRecord, Store
from ..store.frontier import save_snapshot
from .engine import Hit
from .warc import ArchivedPage

__all__ = ["store_hit", "hit_rows", "hits_from_rows", "ROW_FIELDS", "WarcSnapshot"]

_MATCH_FIELDS = ("extent", "coverage", "similarity", "copied_words", "chrome", "chrome_score", "spun", "spun_score",
                 "authorized", "takedown")
_CAPTURE_FIELDS = ("uri", "date", "record_id", "payload_digest", "warc_file", "record_type", "content_type", "status")
_PAGE_FIELDS = ("title", "byline", "canonical", "published")
#: Columns of a result row (Parquet), in order; ``passages`` and ``reasons`` are JSON text.
ROW_FIELDS = (*_CAPTURE_FIELDS, "body", "text", *_PAGE_FIELDS, "work_id", "work_sha256", *_MATCH_FIELDS,
              "passages", "reasons")


@dataclass(frozen=True)
class WarcSnapshot:
    """A capture seen as a fetch (``FetchedLike``): the WARC fields stand in for the HTTP headers."""

    capture: ArchivedPage
    headers: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        c = self.capture
        fields = {"warc-target-uri": c.uri, "warc-date": c.date, "warc-record-id": c.record_id,
                  "warc-payload-digest": c.payload_digest or "", "warc-filename": c.warc_file,
                  "warc-type": c.record_type, "content-type": c.content_type}
        object.__setattr__(self, "headers", {k: v for k, v in fields.items() if v})

    url = property(lambda self: self.capture.uri)
    final_url = property(lambda self: self.capture.uri)
    status = property(lambda self: self.capture.status)
    body = property(lambda self: self.capture.body)
    fetched_at = property(lambda self: self.capture.date)
    content_type = property(lambda self: self.capture.content_type)
    redirects = property(lambda self: ())

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.capture.body).hexdigest()


def store_hit(store: Store, hit: Hit) -> int:
    """Store the page, its matches and its WARC snapshot in one transaction; returns the new matches."""
    with store.transaction() as db:
        page_id = store.save_page(hit.page, list(hit.matches))
        save_snapshot(db, WarcSnapshot(hit.capture), None, page_id)
        stored = store.matches(page_id=page_id)
    return sum(1 for m, _ in stored if m.first_seen == m.last_seen and m.gone_since is None)


def hit_rows(hit: Hit) -> list[dict[str, Any]]:
    """One flat row per match (the page's fields repeated), as written to Parquet."""
    base = {name: getattr(hit.capture, name) for name in _CAPTURE_FIELDS}
    base.update(body=hit.capture.body, text=hit.page.text, **{n: getattr(hit.page, n) for n in _PAGE_FIELDS})
    rows = []
    for match, digest in zip(hit.matches, hit.work_sha256):
        row = dict(base, work_id=match.work_id, work_sha256=digest,
                   passages=json.dumps(match.passages), reasons=json.dumps(match.reasons))
        row.update({name: getattr(match, name) for name in _MATCH_FIELDS})
        rows.append(row)
    return rows


def hits_from_rows(rows: Iterable[dict[str, Any]], work_ids: dict[str, int] | None = None) -> list[Hit]:
    """Group rows back into hits, by record ID, in first-seen order.

    ``work_ids`` maps a work's text digest to its id in the store being
    loaded; a row whose work is not registered there is left out.
    """
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["record_id"], []).append(row)
    hits = []
    for group in grouped.values():
        first = group[0]
        capture = ArchivedPage(**{n: first[n] for n in _CAPTURE_FIELDS}, body=bytes(first["body"]))
        page = PageRecord(key=capture.uri, text=first["text"], url=capture.uri, final_url=capture.uri,
                          **{n: first[n] for n in _PAGE_FIELDS})
        matches, digests = [], []
        for row in group:
            work_id = row["work_id"] if work_ids is None else work_ids.get(row["work_sha256"])
            if work_id is None:
                continue
            figures = {n: row[n] for n in _MATCH_FIELDS}
            matches.append(MatchRecord(work_id=int(work_id), passages=json.loads(row["passages"]),
                                       reasons=json.loads(row["reasons"]), **figures))
            digests.append(row["work_sha256"])
        if matches:
            hits.append(Hit(capture, page, tuple(matches), tuple(digests)))
    return hits
