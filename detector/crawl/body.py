"""Read a response body within a byte cap and a deadline, and inflate gzip files within the same cap.

Hostile servers send endless bodies, drip bytes to hold a connection open,
or serve a few kilobytes that inflate to gigabytes. Every limit here counts
decoded bytes and stops reading the moment it is passed, so memory stays
bounded by the cap whatever the server does.
"""

from __future__ import annotations

import time
import zlib

import requests
from urllib3.exceptions import DecodeError, HTTPError, ProtocolError, ReadTimeoutError, SSLError

from ..errors import BodyTooLarge, FetchError, FetchTimeout

__all__ = ["read_capped", "gunzip_capped", "GZIP_MAGIC", "BodyBroken"]

GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 65536


class BodyBroken(FetchError):
    """The connection broke in the middle of the body: a retry may well get all of it."""

    reason = "connection error"


def _too_large(url: str, limit: int, what: str) -> BodyTooLarge:
    return BodyTooLarge(f"{url}: {what} larger than the {limit:,}-byte cap")


def read_capped(response: requests.Response, url: str, limit: int, deadline: float, truncate: bool = False) -> bytes:
    """The decoded body, or BodyTooLarge as soon as it passes ``limit`` bytes, or FetchTimeout after ``deadline``.

    With ``truncate``, a longer body is cut to its first ``limit`` bytes instead (robots.txt: RFC 9309 has
    crawlers read at least the first 500 KiB, not give up on a longer file).

    ``deadline`` is a ``time.monotonic()`` instant: the read timeout only
    bounds the gap between two bytes, so a server dripping one byte at a time
    needs a deadline for the whole body.
    """
    declared = response.headers.get("content-length", "")
    if not truncate and declared.isdigit() and int(declared) > limit and "content-encoding" not in response.headers:
        raise _too_large(url, limit, f"body of {int(declared):,} bytes is")
    body = bytearray()
    raw = response.raw
    try:
        # read1, not iter_content: iter_content asks for a whole chunk and waits until it is full, so a
        # server sending a byte every half second held a worker for the whole body; read1 returns what
        # has arrived, and the deadline is checked after every piece.
        while chunk := raw.read1(_CHUNK, decode_content=True):
            if len(body) + len(chunk) > limit:
                if truncate:
                    return bytes(body + chunk[: limit - len(body)])
                raise _too_large(url, limit, "body (decoded) is")
            body += chunk
            if time.monotonic() > deadline:
                raise FetchTimeout(f"{url}: body not finished within [fetch] total_timeout")
    except ReadTimeoutError:
        raise FetchTimeout(f"{url}: read timed out") from None
    except (ProtocolError, SSLError, OSError):
        raise BodyBroken(f"{url}: connection broken while reading the body") from None
    except DecodeError as error:
        raise FetchError(f"{url}: body does not decode as its Content-Encoding says ({error})") from None
    except (HTTPError, requests.RequestException) as error:
        raise FetchError(f"{url}: {type(error).__name__} while reading the body: {error}") from None
    return bytes(body)


def gunzip_capped(data: bytes, url: str, limit: int) -> bytes:
    """Inflate a gzip file (a ``sitemap.xml.gz``) to at most ``limit`` bytes; a bomb is refused, not inflated."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    pending = data
    try:
        while pending and not inflater.eof:
            out += inflater.decompress(pending, limit + 1 - len(out))
            if len(out) > limit:
                raise _too_large(url, limit, "gzip content (inflated) is")
            pending = inflater.unconsumed_tail
        out += inflater.flush(limit + 1 - len(out))
    except zlib.error as error:
        raise FetchError(f"{url}: broken gzip data ({error})") from None
    if len(out) > limit:
        raise _too_large(url, limit, "gzip content (inflated) is")
    return bytes(out)
