"""Page metadata: title, byline, publication date, canonical link, language, links.

Read from the whole parsed document before any chrome is dropped, because the
signals live in ``<head>``, headers and footers. Every reader tolerates missing
or malformed markup and returns ``None`` (or an empty tuple) instead of raising.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from .page import Link
from .text import collapse_whitespace

__all__ = ["MAX_LINKS", "Metadata", "read_links", "read_metadata"]

MAX_LINKS = 5000
_MAX_JSON_LD_CHARS = 1_000_000
_MAX_JSON_LD_NODES = 10_000
_MAX_FIELD_CHARS = 300
_MAX_BYLINE_CHARS = 100
_BYLINE_SELECTOR = (
    '[rel~="author" i], [itemprop~="author" i], [class~="byline" i], '
    '[class~="author" i], [class~="author-name" i]'
)
_TITLE_KEYS = ("og:title", "twitter:title")
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author")
_DATE_KEYS = (
    "article:published_time", "datepublished", "date", "pubdate", "publishdate",
    "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
)
_NOT_LINKS = ("#", "javascript:")


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
    metas = _meta_values(tree)
    ld = list(_json_ld_objects(tree))
    root = tree.root
    return Metadata(
        title=_first(metas, _TITLE_KEYS) or _title(tree) or _ld_text(ld, "headline"),
        byline=_byline(tree, metas, ld),
        published=_published(tree, metas, ld),
        canonical=_canonical(tree, url),
        lang=_clean(root.attributes.get("lang")) if root is not None else None,
    )


def read_links(tree: LexborHTMLParser, url: str | None = None,
               limit: int = MAX_LINKS) -> tuple[Link, ...]:
    """Every ``<a href>`` in document order (at most ``limit``), absolute when ``url`` is given.

    In-page anchors (``#...``) and ``javascript:`` pseudo-links are not links
    to anything and are left out.
    """
    resolve = _Resolver(url)
    links: list[Link] = []
    for a in tree.css("a[href]"):
        href = (a.attrs.get("href") or "").strip()
        if not href or href.startswith(_NOT_LINKS):
            continue
        links.append(Link(resolve(href), " ".join(a.text().split())))
        if len(links) >= limit:
            break
    return tuple(links)


class _Resolver:
    """``urljoin`` against one base URL, with fast paths for the common href shapes."""

    def __init__(self, base: str | None) -> None:
        self.base = base or ""
        self.root = ""
        self.cache: dict[str, str] = {}
        if base:
            try:
                parts = urlsplit(base)
            except ValueError:
                return
            if parts.scheme in ("http", "https") and parts.netloc:
                self.root = f"{parts.scheme}://{parts.netloc}"

    def __call__(self, href: str) -> str:
        if not self.base or href.startswith(("https://", "http://")):
            return href
        if self.root and href[0] == "/" and href[1:2] != "/" and "\\" not in href:
            return self.root + href
        resolved = self.cache.get(href)
        if resolved is None:
            try:
                resolved = urljoin(self.base, href)
            except ValueError:
                resolved = href
            self.cache[href] = resolved
        return resolved


def _clean(value: str | None) -> str | None:
    """Collapsed, length-capped text, or None when nothing is left."""
    if not value:
        return None
    value = collapse_whitespace(value)[:_MAX_FIELD_CHARS]
    return value or None


def _meta_values(tree: LexborHTMLParser) -> dict[str, str]:
    """``<meta>`` contents keyed by lowercased name / property / itemprop (first wins)."""
    values: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        content = _clean(attrs.get("content"))
        if not content:
            continue
        for key_attr in ("property", "name", "itemprop"):
            key = attrs.get(key_attr)
            if key:
                values.setdefault(key.strip().lower(), content)
    return values


def _first(metas: dict[str, str], keys: tuple[str, ...]) -> str | None:
    """The value of the first key present."""
    for key in keys:
        if key in metas:
            return metas[key]
    return None


def _title(tree: LexborHTMLParser) -> str | None:
    """The first ``<h1>``, else ``<title>``."""
    for selector in ("h1", "title"):
        node = tree.css_first(selector)
        if node is not None and (value := _clean(node.text())):
            return value
    return None


def _byline(tree: LexborHTMLParser, metas: dict[str, str],
            ld: list[dict[str, object]]) -> str | None:
    """meta author, then rel/itemprop author, then byline classes, then JSON-LD author."""
    value = _first(metas, _AUTHOR_KEYS)
    if value and not value.startswith(("http://", "https://")):
        return value
    ranked: list[tuple[int, str]] = []
    for node in tree.css(_BYLINE_SELECTOR):
        attrs = node.attributes
        rank = 0 if "rel" in attrs else 1 if "itemprop" in attrs else 2
        name = node.css_first('[itemprop~="name" i]') if rank == 1 else None
        text = _clean(attrs.get("content") or (name or node).text())
        if text and len(text) <= _MAX_BYLINE_CHARS:
            ranked.append((rank, text))
    if ranked:
        return min(ranked, key=lambda item: item[0])[1]
    return _ld_author(ld)


def _published(tree: LexborHTMLParser, metas: dict[str, str],
               ld: list[dict[str, object]]) -> str | None:
    """The publication date as the page states it (usually ISO 8601), not reparsed."""
    if value := _first(metas, _DATE_KEYS):
        return value
    for node in tree.css('[itemprop~="datePublished" i]'):
        attrs = node.attributes
        if value := _clean(attrs.get("datetime") or attrs.get("content") or node.text()):
            return value
    if value := _ld_text(ld, "datePublished"):
        return value
    time_node = tree.css_first("time[datetime]")
    return _clean(time_node.attributes.get("datetime")) if time_node is not None else None


def _canonical(tree: LexborHTMLParser, url: str | None) -> str | None:
    """``<link rel=canonical>`` resolved against the page URL."""
    for node in tree.css('link[rel~="canonical" i][href]'):
        href = (node.attributes.get("href") or "").strip()
        if href:
            return _Resolver(url)(href)
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
