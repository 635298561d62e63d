"""Turn registration inputs into works: Markdown with front matter, HTML, plain text, URLs.

Flags given on the command line override the document's own metadata.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

import yaml

from fingerprints import split_front_matter, strip_markdown

from .dates import iso_date
from .errors import InputError
from .extract import extract_html, extract_text
from .inputs import Document, decode, is_url, refuse_binary
from .store import WorkRecord
from .urls import same_url, without_tracking

__all__ = ["Overrides", "to_work"]

MIN_WORDS = 20


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader when PyYAML was built with it (ten times faster), else the pure-Python one, with
    timestamps left as text: YAML's own reading of ``date: 2019-13-45`` raises ValueError mid-parse, and
    :mod:`detector.dates` reads more shapes of date than YAML does."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Overrides:
    """Metadata given with ``register --author/--url/--title/--published``."""

    author: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    #: The blog's address, for front matter whose ``url`` is a path (Hugo writes ``url: /posts/x/``).
    base_url: str | None = None


def _front_matter(document: Document, source: str, toml: bool) -> dict[str, Any]:
    if not source.strip():
        return {}
    try:
        loaded = tomllib.loads(source) if toml else yaml.load(source, _Loader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError, TypeError, OverflowError) as error:
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(f"{document.name}: front matter is not valid YAML/TOML ({first})") from None
    return loaded if isinstance(loaded, dict) else {}


def _clean(text: str) -> str:
    """Drop lone surrogates (YAML escapes like "\\ud83d" can make them): SQLite stores UTF-8 only."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _text_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):  # author: {name: ..., url: ...}, as Hugo and Eleventy themes write it
        return _text_value(value.get("name") or value.get("title"))
    if isinstance(value, list):
        return _clean(", ".join(v for v in map(_text_value, value) if v)) or None
    return _clean(str(value).strip()) or None


def _details(meta: dict[str, Any]) -> dict[str, str | None]:
    """Title, author, date and URL from front matter, under the names Jekyll, Hugo and Eleventy use."""
    return dict(
        title=_text_value(meta.get("title")), author=_text_value(meta.get("author") or meta.get("authors")),
        published=_text_value(meta.get("date") or meta.get("published")),
        url=_text_value(meta.get("url") or meta.get("canonical_url") or meta.get("canonical")),
    )


def _is_toml(raw: str) -> bool:
    return raw.lstrip("\ufeff").startswith("+++")


def _from_markdown(document: Document) -> dict[str, str | None]:
    raw = decode(document)
    source, _ = split_front_matter(raw)
    return dict(text=_clean(strip_markdown(raw)), **_details(_front_matter(document, source, _is_toml(raw))))


def _from_text(document: Document) -> dict[str, str | None]:
    """Plain text, whose front matter (a Jekyll post saved as .txt) gives its details when it parses;
    when it does not, the file is just text that starts with a line of dashes."""
    raw = decode(document)
    source, body = split_front_matter(raw)
    try:
        details = _details(_front_matter(document, source, _is_toml(raw))) if source else {}
    except InputError:
        details, body = {}, raw
    page = extract_text(body if details else raw)
    found = dict(title=page.title, author=page.byline, published=page.published, url=_work_url(document.url, None))
    return dict(text=page.text, **{k: details.get(k) or v for k, v in found.items()})


def _from_page(document: Document) -> dict[str, str | None]:
    refuse_binary(document, utf16=True)  # the HTML reader makes text of anything; a work must be text
    page = extract_html(document.data, url=document.url)
    return dict(text=page.text, title=page.title, author=page.byline, published=page.published,
                url=_work_url(document.url, page.canonical))


def _work_url(fetched: str | None, canonical: str | None) -> str | None:
    """The post's own address: its canonical link when that names the fetched page, else the
    fetched address without tracking parameters.

    Feeds decorate every link (``?utm_source=rss``) and blogs answer on http and
    https alike; a syndication partner's canonical link and a quotation's link
    name the clean address, and so should the notice. A canonical link to some
    other page is not trusted: a misconfigured theme points every post at the
    home page, and adopting it would make each post a new version of the last.
    """
    if not fetched:
        return canonical
    if canonical and is_url(canonical) and same_url(canonical, fetched):
        return canonical
    return without_tracking(fetched)


def to_work(document: Document, overrides: Overrides = Overrides()) -> WorkRecord:
    """Build the work a document registers, or raise InputError naming the document.

    The record is made once, with the overrides applied: making one hashes and counts the whole text.
    """
    read = {"markdown": _from_markdown, "html": _from_page}.get(document.kind, _from_text)
    found = read(document)
    url = overrides.url or found["url"]
    if url and overrides.base_url and not is_url(url):
        # the blog's address is prefixed: a blog at example.org/blog writes 'url: /posts/x/' for /blog/posts/x/
        url = urljoin(overrides.base_url.rstrip("/") + "/", url.lstrip("/"))
    work = WorkRecord(
        key=url or document.key, text=found["text"] or "", source=document.name,
        title=overrides.title or found["title"], author=overrides.author or found["author"],
        published=iso_date(overrides.published or found["published"]), url=url,
    )
    if work.words < MIN_WORDS:
        raise InputError(f"{document.name}: only {work.words} words of text; nothing worth registering")
    return work
