"""File names built from hosts and URLs, safe on every file system.

A URL is chosen by whoever runs the copying site, so it may hold ``../``,
NUL bytes, reserved Windows names, a thousand characters or a right-to-left
override. Names here keep only ``[a-z0-9._-]``, never start with a dot and
stay short; a snapshot's name carries its body's sha256, so two snapshots
share a name only when they hold the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote, urlsplit

__all__ = ["slug", "host_of", "report_name", "snapshot_name", "LOCAL_HOST"]

#: The group of pages checked from local files (no URL, so no host to send a notice to).
LOCAL_HOST = "local files"
_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}


def slug(text: str, limit: int = 60) -> str:
    """Lower-case ``[a-z0-9._-]`` only, no leading dots or dashes, at most ``limit`` characters."""
    cleaned = _UNSAFE.sub("-", text.lower()).strip(".-_")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)[:limit].strip(".-_")
    if not cleaned or cleaned.split(".")[0] in _RESERVED:
        cleaned = f"x-{cleaned}" if cleaned else "x"
    return cleaned


def host_of(url: str | None) -> str:
    """The exact host name a notice is about (Cloudflare's form takes one host name per report)."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return LOCAL_HOST
    try:
        return (urlsplit(url).hostname or "").lower() or LOCAL_HOST
    except ValueError:
        return LOCAL_HOST


def report_name(host: str, part: int, parts: int, suffix: str) -> str:
    """``report-<host>[-part-N-of-M].<suffix>``, one name per host.

    A host with letters outside ``[a-z0-9.-]`` is named by its IDNA (punycode)
    form, as DNS and abuse desks know it; one that still does not fit gets a
    hash of itself, so two hosts never share a report file.
    """
    base = "local-files" if host == LOCAL_HOST else _host_name(host)
    numbered = f"-part-{part}-of-{parts}" if parts > 1 else ""
    return f"report-{base}{numbered}.{suffix}"


def _host_name(host: str) -> str:
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_host = host
    name = slug(ascii_host, 80)
    if name != ascii_host.lower():
        name = f"{slug(ascii_host, 60)}-{hashlib.sha256(host.encode('utf-8', 'replace')).hexdigest()[:10]}"
    return name


def snapshot_name(url: str, sha256: str, content_type: str) -> str:
    """``<host>_<path>_<sha256 prefix>.<kind>.txt``: the .txt suffix means opening it never runs the page."""
    try:
        parts = urlsplit(url)
        host, path = parts.hostname or "", unquote(parts.path)
    except ValueError:
        host, path = "", url
    kind = "html" if "html" in content_type else "text"
    stem = "_".join(p for p in (slug(host, 40), slug(path, 60) if path.strip("/") else "") if p)
    return f"{stem or 'page'}_{slug(sha256[:16])}.{kind}.txt"
