"""Page metadata: title, byline, publication date, canonical link, language, links.

Read from the whole parsed document before any chrome is dropped, because the
signals live in ``<head>``, headers and footers. Every reader tolerates missing
or malformed markup and returns ``None`` (or an empty tuple) instead of raising.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from .page import Link
from .text import collapse_whitespace

__all__ = ["Metadata", "read_links", "read_metadata"]

MAX_LINKS = 5000
_MAX_JSON_LD_CHARS = 1_000_000
_MAX_JSON_LD_NODES = 10_000
_MAX_FIELD_CHARS = 300
_BYLINE_SELECTORS = (
    '[rel~="author" i]',
    '[itemprop~="author" i] [itemprop~="name" i]',
    '[itemprop~="author" i]',
    '[class~="byline" i], [class~="author" i], [class~="author-name" i]',
    '[class*="byline" i], [class*="author-name" i]',
)
_DATE_META = (
    'meta[property="article:published_time" i]',
    'meta[itemprop="datePublished" i]',
    'meta[name="date" i], meta[name="pubdate" i], meta[name="publishdate" i]',
    'meta[name="dc.date" i], meta[name="dcterms.created" i], meta[name="sailthru.date" i]',
)


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the head and header of a document say about it."""

    title: str | None = None
    byline: str | None = None
    published: str | None = None
    canonical: str | None = None
    lang: str | None = None


def read_metadata(tree: LexborHTMLParser, url: str | None = None) -> Metadata:
    """Collect title, byline, date, canonical URL and language from a parsed page."""
    ld = list(_json_ld_objects(tree))
    return Metadata(
        title=_title(tree, ld),
        byline=_byline(tree, ld),
        published=_published(tree, ld),
        canonical=_canonical(tree, url),
        lang=_clean(tree.root.attributes.get("lang")) if tree.root is not None else None,
    )


def read_links(tree: LexborHTMLParser, url: str | None = None,
               limit: int = MAX_LINKS) -> tuple[Link, ...]:
    """Every ``<a href>`` in document order (at most ``limit``), absolute when ``url`` is given."""
    links: list[Link] = []
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        links.append(Link(href=_resolve(url, href), text=collapse_whitespace(a.text())))
        if len(links) >= limit:
            break
    return tuple(links)


def _resolve(base: str | None, href: str) -> str:
    """``href`` made absolute against ``base``; unchanged when that is impossible."""
    if not base:
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return href


def _clean(value: str | None) -> str | None:
    """Collapsed, length-capped text, or None when nothing is left."""
    if not value:
        return None
    value = collapse_whitespace(value)[:_MAX_FIELD_CHARS]
    return value or None


def _meta(tree: LexborHTMLParser, selector: str) -> str | None:
    """The ``content`` of the first meta element matching ``selector`` that has one."""
    for node in tree.css(selector):
        value = _clean(node.attributes.get("content"))
        if value:
            return value
    return None


def _title(tree: LexborHTMLParser, ld: list[dict[str, object]]) -> str | None:
    """og:title, else the first ``<h1>``, else ``<title>``, else JSON-LD headline."""
    value = _meta(tree, 'meta[property="og:title" i], meta[name="og:title" i]')
    if value:
        return value
    for selector in ("h1", "title"):
        node = tree.css_first(selector)
        if node is not None and (value := _clean(node.text())):
            return value
    return _ld_text(ld, "headline")


def _byline(tree: LexborHTMLParser, ld: list[dict[str, object]]) -> str | None:
    """meta author, then rel/itemprop author, then byline classes, then JSON-LD author."""
    value = _meta(tree, 'meta[name="author" i], meta[property="article:author" i]')
    if value and not value.startswith(("http://", "https://")):
        return value
    for selector in _BYLINE_SELECTORS:
        for node in tree.css(selector):
            value = _clean(node.attributes.get("content") or node.text())
            if value and len(value) <= 100:
                return value
    return _ld_author(ld)


def _published(tree: LexborHTMLParser, ld: list[dict[str, object]]) -> str | None:
    """The publication date as the page states it (usually ISO 8601), not reparsed."""
    for selector in _DATE_META:
        if value := _meta(tree, selector):
            return value
    for node in tree.css('[itemprop~="datePublished" i]'):
        attrs = node.attributes
        if value := _clean(attrs.get("datetime") or attrs.get("content") or node.text()):
            return value
    if value := _ld_text(ld, "datePublished"):
        return value
    node = tree.css_first("time[datetime]")
    return _clean(node.attributes.get("datetime")) if node is not None else None


def _canonical(tree: LexborHTMLParser, url: str | None) -> str | None:
    """``<link rel=canonical>`` resolved against the page URL."""
    for node in tree.css('link[rel~="canonical" i][href]'):
        href = (node.attributes.get("href") or "").strip()
        if href:
            return _resolve(url, href)
    return None


def _json_ld_objects(tree: LexborHTMLParser) -> Iterator[dict[str, object]]:
    """Every JSON object inside the page's JSON-LD scripts, flattened, bounded in count."""
    for script in tree.css('script[type="application/ld+json" i]'):
        raw = script.text()
        if len(raw) > _MAX_JSON_LD_CHARS:
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        yield from _walk_json(data)


def _walk_json(data: object) -> Iterator[dict[str, object]]:
    """Objects in a JSON value, parents before children, iteratively (no recursion)."""
    stack, seen = [data], 0
    while stack and seen < _MAX_JSON_LD_NODES:
        item = stack.pop()
        seen += 1
        if isinstance(item, dict):
            yield item
            stack.extend(reversed([v for v in item.values() if isinstance(v, dict | list)]))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _ld_text(ld: list[dict[str, object]], key: str) -> str | None:
    """The first string value of ``key`` across JSON-LD objects."""
    for obj in ld:
        value = obj.get(key)
        if isinstance(value, str) and (text := _clean(value)):
            return text
    return None


def _ld_author(ld: list[dict[str, object]]) -> str | None:
    """The first JSON-LD author name (author may be a string, an object or a list)."""
    for obj in ld:
        author = obj.get("author")
        for item in author if isinstance(author, list) else [author]:
            name = item.get("name") if isinstance(item, dict) else item
            if isinstance(name, str) and (text := _clean(name)):
                return text
    return None

