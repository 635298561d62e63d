"""An author's own site, read for ``register``: the post URLs its sitemaps and feeds list, then each post.

Nobody registers a blog of hundreds of posts one URL at a time, and a blog
with no Markdown sources (WordPress, Ghost, Substack) has nothing else to give.
Its sitemap or feed lists the posts. They are read as a crawl reads a site:
under its robots.txt, one request at a time with the per-host delay (or the
site's Crawl-delay), within the size caps.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from ..config import Config, SourceConfig
from ..errors import FetchError, SourceError
from .fetch import ACCEPTED_TYPES, Fetched, Fetcher
from .hosts import HostQueue
from .robots import Robots
from .sources import Discovery

__all__ = ["SiteReader", "Listed"]


@dataclass
class Listed:
    """The post URLs the sitemaps and feeds listed, the problems met reading them, and how many ``match`` left out."""

    urls: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    left_out: int = 0


class SiteReader:
    """Lists an author's posts from sitemaps and feeds, and fetches each one politely: a fetcher for ``register``."""

    def __init__(self, config: Config, fetcher: Fetcher, stop: threading.Event | None = None) -> None:
        self.config = config
        robots = Robots(fetcher, config.crawl.robots_cache_hours)
        self._discovery = Discovery(config, fetcher, robots, HostQueue(config.crawl.per_host_delay),
                                    stop or threading.Event())

    def list_posts(self, sitemaps: Sequence[str] = (), feeds: Sequence[str] = (), match: str | None = None) -> Listed:
        """Every URL the sitemaps (indexes and gzipped ones included) and feeds list, first listed first, each once.

        ``match`` is a glob over the whole URL (``*/posts/*``): a sitemap also
        lists tag, category and about pages, and those are not posts to register.
        At most ``[crawl] max_pages_per_run`` URLs are read.
        """
        limit = self.config.crawl.max_pages_per_run
        listed, urls = Listed(), list[str]()
        for kind, sources in (("sitemap", sitemaps), ("feed", feeds)):
            for url in sources:
                found = self._discovery.read(SourceConfig(name=f"{kind} {url}", type=kind, url=url), limit)
                urls += found.urls
                listed.errors += [error.removeprefix("source ") for error in found.errors]
        urls = list(dict.fromkeys(urls))[:limit]
        listed.urls = [url for url in urls if match is None or fnmatchcase(url, match)]
        listed.left_out = len(urls) - len(listed.urls)
        return listed

    def get(self, url: str) -> Fetched:
        """One post, under robots.txt and the per-host delay; the answer whatever its status (the caller judges it)."""
        try:
            return self._discovery.polite_get(url, accept=ACCEPTED_TYPES, max_bytes=None)
        except SourceError as error:
            raise FetchError(str(error)) from None
