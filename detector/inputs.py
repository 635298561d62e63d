"""Local and remote inputs of ``register``, ``check`` and ``extract``: files, folders and URLs.

Every input becomes a :class:`Document` (its bytes, what kind of document it
is, where it came from) or an :class:`~detector.errors.InputError` that names
the input and the problem, so one bad file never stops the rest.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol
from pathlib import Path

from charset_normalizer import from_bytes

from .config import Config
from .crawl import Fetched
from .errors import FetchError, InputError, UnacceptableContent
from .extract.binary import looks_binary
from .extract.limits import UTF16_BOMS

__all__ = ["Document", "expand", "read_document", "decode", "refuse_binary", "refuse_binary_html", "is_url", "MARKDOWN_SUFFIXES", "HTML_SUFFIXES"]

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdx", ".mkd"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text", ""}
_SKIPPED_DIRS = {".git", "node_modules", "__pycache__", ".venv"}


@dataclass(frozen=True)
class Document:
    """Raw input: ``name`` as the user gave it, ``key`` its identity (absolute path or URL)."""

    name: str
    key: str
    data: bytes
    kind: str  # "markdown", "html" or "text"
    url: str | None = None
    fetched: Fetched | None = None


def is_url(arg: str) -> bool:
    return arg.startswith(("http://", "https://"))


def expand(args: list[str]) -> Iterator[str]:
    """Yield URLs as given, files as given, and the documents under folders (recursively, sorted)."""
    for arg in args:
        path = Path(arg)
        if not is_url(arg) and path.is_dir():
            found = False
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith("."))
                for name in sorted(files):
                    suffix = Path(name).suffix.lower()
                    if suffix in MARKDOWN_SUFFIXES | HTML_SUFFIXES | {".txt", ".text"}:
                        found = True
                        yield str(Path(root) / name)
            if not found:
                yield arg  # reading it says the folder holds no documents, rather than nothing being said
        else:
            yield arg


def _kind(suffix: str, data: bytes) -> str:
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in HTML_SUFFIXES:
        return "html"
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return "text"


class Getter(Protocol):
    """What fetches a URL document: a :class:`~detector.crawl.Fetcher`, or a reader that adds robots.txt and pacing."""

    def get(self, url: str) -> Fetched: ...


def read_document(arg: str, config: Config, fetcher: Getter | None = None) -> Document:
    """Read one file or fetch one URL, within the configured size cap."""
    limit = config.match.max_input_bytes
    if is_url(arg):
        if fetcher is None:
            raise InputError(f"{arg}: URLs need a fetcher")
        try:
            fetched = fetcher.get(arg)
        except UnacceptableContent as error:
            hint = " (a sitemap or feed? 'register' and 'crawl' read one with --sitemap URL or --feed URL)" if (
                error.content_type.endswith("xml")) else ""
            raise InputError(f"{error}{hint}") from None
        except FetchError as error:
            raise InputError(str(error)) from None
        if fetched.status != 200:
            raise InputError(f"{arg}: HTTP status {fetched.status}")
        kind = "text" if fetched.content_type == "text/plain" else "html"
        return Document(arg, fetched.final_url, fetched.body, kind, url=fetched.final_url, fetched=fetched)
    path = Path(arg)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError(f"{arg}: is a folder with no documents in it (.md, .html or .txt files)")
        if size > limit:
            raise InputError(f"{arg}: {size / 1e6:.1f} MB is over the {limit / 1e6:.0f} MB cap ([match] max_input_bytes)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{arg}: no such file or folder") from None
    except PermissionError:
        raise InputError(f"{arg}: permission denied") from None
    except OSError as error:
        raise InputError(f"{arg}: cannot read ({error.strerror or error})") from None
    if not data.strip():
        raise InputError(f"{arg}: file is empty")
    return Document(arg, str(path.resolve()), data, _kind(path.suffix.lower(), data))



def refuse_binary(document: Document, utf16: bool = False) -> None:
    """Raise InputError when the document holds NUL bytes near its start, as binary files do and text does not.

    With ``utf16``, a file that starts with a UTF-16 byte-order mark passes (HTML in UTF-16 is full of NULs,
    and the HTML reader decodes it).
    """
    data = document.data
    if b"\x00" in data[:65536] and not (utf16 and data.startswith(UTF16_BOMS)):
        raise InputError(f"{document.name}: looks like a binary file, not text")


_HIGH_BYTES = bytes(range(128, 256))


def refuse_binary_html(document: Document) -> None:
    """Raise InputError for an HTML document that is not markup (:func:`~detector.extract.binary.looks_binary`):
    what is refused gets an error that names it, never a silent "0 matches"."""
    if looks_binary(document.data):
        raise InputError(f"{document.name}: looks like a binary file, not HTML")


def decode(document: Document) -> str:
    """Decode a text or Markdown document: UTF-8 first, then the best detected charset.

    Binary files (NUL bytes, or no charset that yields readable text) are refused.
    """
    data = document.data
    refuse_binary(document, utf16=True)
    try:
        return data.decode("utf-16" if data.startswith(UTF16_BOMS) else "utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:1_000_000]).best()
    if best is not None and best.percent_chaos <= 0.2:
        return str(data.decode(best.encoding, errors="replace"))
    # A few accented letters in English text leave the detector too little to go on (one "café" in a post);
    # such a file is nearly always Latin-1 or Windows-1252, as for HTML that declares nothing.
    if len(data) - len(data.translate(None, _HIGH_BYTES)) <= max(3, len(data) // 50):
        return data.decode("cp1252", errors="replace")
    raise InputError(f"{document.name}: not UTF-8 and no text encoding fits; convert it to UTF-8")
