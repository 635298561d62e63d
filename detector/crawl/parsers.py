"""Read URLs out of sitemaps, sitemap indexes, RSS 2.0 and Atom feeds, and URL lists.

XML from a hostile server is parsed with defusedxml with DTDs forbidden, so
no entity expansion ("billion laughs") and no external entity can run.
Parsing is incremental and elements are cleared as they are read, so a
50 MB sitemap does not become a gigabyte tree.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from ..errors import SourceError

__all__ = ["parse_sitemap", "parse_feed", "parse_url_list", "clean_url", "url_problem", "SITEMAP", "SITEMAP_INDEX"]

SITEMAP = "urlset"
SITEMAP_INDEX = "sitemapindex"
_MAX_URL = 2048


def clean_url(candidate: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) URL with a host (scheme in lower case, no fragment), or None for anything else."""
    url = _cleaned(candidate, base)
    return url if url is not None and _problem(url) is None else None


def url_problem(candidate: str | None, base: str | None = None) -> str | None:
    """Why ``candidate`` is not a URL the crawler can fetch, or None when it is."""
    if not candidate or not candidate.strip():
        return "is empty"
    url = _cleaned(candidate, base)
    return "is not a URL" if url is None else _problem(url)


def _problem(url: str) -> str | None:
    """Why a cleaned URL cannot be fetched, or None."""
    if len(url) > _MAX_URL:
        return f"is longer than {_MAX_URL:,} characters"
    if any(c.isspace() for c in url):
        return "holds white space"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError as error:
        return f"is not a valid URL ({error})"
    if parts.scheme not in ("http", "https"):
        return "is not an http or https URL"
    if not parts.hostname:
        return "names no host"
    return None


def _cleaned(candidate: str | None, base: str | None) -> str | None:
    text = (candidate or "").strip().lstrip("\ufeff")  # a list saved by Notepad starts with a byte-order mark
    try:
        url = urldefrag(urljoin(base, text) if base else text)[0]
    except ValueError:
        return None
    scheme, sep, rest = url.partition("://")
    return f"{scheme.lower()}{sep}{rest}" if sep else url


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower()


def _events(data: bytes, what: str) -> Iterator[tuple[str, Element]]:
    try:
        yield from iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True)
    except DefusedXmlException:
        raise SourceError(f"{what}: refused, the XML declares a DTD or entities") from None
    except ParseError as error:
        raise SourceError(f"{what}: not well-formed XML ({error})") from None


def parse_sitemap(data: bytes, where: str) -> tuple[str, list[str]]:
    """``(kind, locations)``: kind is ``urlset`` (page URLs) or ``sitemapindex`` (more sitemaps).

    A sitemap may also be plain text, one URL a line, as the protocol allows.
    """
    if not data.lstrip()[:1] == b"<":
        return SITEMAP, parse_url_list(data.decode("utf-8", errors="replace"), where)
    kind = ""
    found: list[str] = []
    for event, element in _events(data, where):
        name = _local(element.tag)
        if event == "start":
            kind = kind or name
            continue
        if name == "loc":
            url = clean_url(element.text, where)
            if url:
                found.append(url)
        elif name in ("url", "sitemap"):
            element.clear()
    if kind not in (SITEMAP, SITEMAP_INDEX):
        raise SourceError(f"{where}: not a sitemap (root element <{kind or '?'}>)")
    return kind, found


def _item_link(item: Element, base: str) -> str | None:
    """An RSS ``<item>``'s ``<link>``, else its permalink ``<guid>``."""
    guid = None
    for child in item:
        name = _local(child.tag)
        if name == "link" and child.text:
            return clean_url(child.text, base)
        if name == "guid" and child.get("isPermaLink", "true").lower() == "true":
            guid = clean_url(child.text, base)
    return guid


def _entry_link(entry: Element, base: str) -> str | None:
    """An Atom ``<entry>``'s alternate link (a link with no ``rel`` is an alternate one)."""
    for child in entry:
        if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate":
            return clean_url(child.get("href"), base)
    return None


def parse_feed(data: bytes, where: str) -> list[str]:
    """The article URLs of an RSS 2.0 (or RSS 1.0) or Atom feed, in feed order."""
    root = ""
    found: list[str] = []
    for event, element in _events(data, where):
        name = _local(element.tag)
        if event == "start":
            root = root or name
            continue
        if name == "item" or name == "entry":
            url = _item_link(element, where) if name == "item" else _entry_link(element, where)
            if url:
                found.append(url)
            element.clear()
    if root not in ("rss", "feed", "rdf"):
        raise SourceError(f"{where}: not an RSS or Atom feed (root element <{root or '?'}>)")
    return found


def parse_url_list(text: str, where: str) -> list[str]:
    """One URL a line; blank lines and ``#`` comments are skipped, anything not http(s) is dropped."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            url = clean_url(line)
            if url:
                found.append(url)
    return found
