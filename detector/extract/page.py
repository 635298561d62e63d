"""The Page: what the rest of detector knows about a fetched or given document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .features import PageFeatures

__all__ = ["Page", "Link", "ChromeReader"]


@dataclass(frozen=True, slots=True)
class Link:
    """An outbound link: absolute href (when a base URL is known) and its visible text."""

    href: str
    text: str


#: Reads a page's outbound links and chrome counts, on demand.
ChromeReader = Callable[[], "tuple[tuple[Link, ...], PageFeatures | None]"]

_FIELDS = ("text", "title", "byline", "published", "canonical", "links", "lang", "features")


class Page:
    """The main text of a document plus the metadata the matcher and classifier use.

    ``text`` is the main text only (article body), its blocks (paragraphs,
    headings, list items) separated by a blank line. Character offsets reported
    for matched passages point into this string.

    ``links`` and ``features`` are read from the parsed document on first use:
    only the classifier needs them, and most pages copy nothing, so most pages
    never pay for counting their chrome (about a third of extraction time).
    """

    __slots__ = ("text", "title", "byline", "published", "canonical", "lang", "_links", "_features", "_reader")

    def __init__(self, text: str, title: str | None = None, byline: str | None = None,
                 published: str | None = None, canonical: str | None = None, links: tuple[Link, ...] = (),
                 lang: str | None = None, features: PageFeatures | None = None,
                 reader: ChromeReader | None = None) -> None:
        self.text = text
        self.title = title
        self.byline = byline
        self.published = published
        self.canonical = canonical
        self.lang = lang
        self._links = links
        #: Chrome around the article, counted when the page was extracted (None: not measured).
        self._features = features
        self._reader = reader

    def _read(self) -> None:
        if self._reader is not None:
            self._links, self._features = self._reader()
            self._reader = None  # and with it the parsed document

    @property
    def links(self) -> tuple[Link, ...]:
        self._read()
        return self._links

    @property
    def features(self) -> PageFeatures | None:
        """Chrome around the article (None: not measured, as for plain text)."""
        self._read()
        return self._features

    def detached(self) -> Page:
        """This page without its parsed document: links and chrome counts not read yet are dropped.

        A caller that keeps many pages (``Detector.check`` over thousands of
        files) keeps their text, not a DOM each.
        """
        if self._reader is None:
            return self
        return Page(self.text, self.title, self.byline, self.published, self.canonical, (), self.lang, None)

    def __reduce__(self) -> tuple[type[Page], tuple[object, ...]]:
        """Pickled whole (the parsed document cannot cross a process boundary): links and counts are read first."""
        self._read()
        return (Page, (self.text, self.title, self.byline, self.published, self.canonical, self._links, self.lang,
                       self._features))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Page):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _FIELDS)

    __hash__ = None  # type: ignore[assignment]  # links and features are read lazily

    def __repr__(self) -> str:
        return f"Page(text={self.text[:60]!r}..., title={self.title!r}, canonical={self.canonical!r})"
