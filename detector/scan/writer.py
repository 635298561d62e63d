"""Write small WARC files (WARC/1.0, one gzip member per record, or uncompressed).

The tests and the benchmark build their archives with it, and it is handy for
turning a folder of saved pages into something ``detector scan`` reads. It
writes ``response`` records (HTTP 200 with the given content type) and WET
``conversion`` records (plain text).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Capture", "write_warc", "warc_record"]


@dataclass(frozen=True)
class Capture:
    """One record to archive: ``kind`` is ``response`` (HTML over HTTP), ``conversion`` (WET text),
    ``request`` or ``metadata`` (the body is the whole block)."""

    uri: str
    body: bytes
    kind: str = "response"
    content_type: str = "text/html; charset=utf-8"
    date: str = "2026-01-15T12:00:00Z"
    record_id: str | None = None


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest of a payload, as Common Crawl writes it (base32 SHA-1)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_record(capture: Capture) -> bytes:
    """One WARC record, headers and block, with its closing blank lines."""
    if capture.kind == "response":
        http = (f"HTTP/1.1 200 OK\r\nContent-Type: {capture.content_type}\r\n"
                f"Content-Length: {len(capture.body)}\r\n\r\n").encode("latin-1")
        block, block_type = http + capture.body, "application/http; msgtype=response"
    elif capture.kind == "conversion":
        block, block_type = capture.body, "text/plain"
    elif capture.kind in ("request", "metadata"):  # as Common Crawl writes them around each response
        block = capture.body
        block_type = "application/http; msgtype=request" if capture.kind == "request" else "application/warc-fields"
    else:
        raise ValueError(f"kind must be 'response', 'conversion', 'request' or 'metadata', got {capture.kind!r}")
    record_id = capture.record_id or f"<urn:uuid:{uuid.uuid4()}>"
    head = (f"WARC/1.0\r\nWARC-Type: {capture.kind}\r\nWARC-Target-URI: {capture.uri}\r\n"
            f"WARC-Date: {capture.date}\r\nWARC-Record-ID: {record_id}\r\n"
            f"WARC-Payload-Digest: {payload_digest(capture.body)}\r\n"
            f"WARC-Block-Digest: {payload_digest(block)}\r\n"
            f"Content-Type: {block_type}\r\nContent-Length: {len(block)}\r\n\r\n")
    return head.encode("utf-8") + block + b"\r\n\r\n"


def write_warc(path: str | Path, captures: Iterable[Capture], compress: bool = True) -> int:
    """Write ``captures`` to ``path`` (a gzip member per record when ``compress``); returns the record count."""
    count = 0
    with open(path, "wb") as out:
        for capture in captures:
            record = warc_record(capture)
            out.write(gzip.compress(record, compresslevel=6, mtime=0) if compress else record)
            count += 1
    return count
