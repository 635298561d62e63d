"""The Page: what the rest of detector knows about a fetched or given document."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .features import PageFeatures

__all__ = ["Page", "Link"]


@dataclass(frozen=True, slots=True)
class Link:
    """An outbound link: absolute href (when a base URL is known) and its visible text."""

    href: str
    text: str


@dataclass(frozen=True, slots=True)
class Page:
    """The main text of a document plus the metadata the matcher and classifier use.

    ``text`` is the main text only (article body), its blocks (paragraphs,
    headings, list items) separated by a blank line. Character offsets reported
    for matched passages point into this string.
    """

    text: str
    title: str | None = None
    byline: str | None = None
    published: str | None = None
    canonical: str | None = None
    links: tuple[Link, ...] = field(default=())
    lang: str | None = None
    #: Chrome around the article, counted when the page was extracted (None: not measured).
    features: PageFeatures | None = None
