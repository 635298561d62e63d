"""Turn the configured sources into page URLs: sitemaps (and indexes, gzipped or not), feeds, lists, pages.

Reading a source is itself crawling: the sitemap or feed is fetched under
the same robots.txt rules, per-host delay and caps as any page. A source
that cannot be read is reported and the others carry on.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..config import Config, SourceConfig
from ..errors import DetectorError, FetchInterrupted, SourceError
from ..extract import parse_html, read_links
from .body import GZIP_MAGIC, gunzip_capped
from .fetch import Fetched, Fetcher
from .hosts import HostQueue
from .parsers import SITEMAP_INDEX, clean_url, parse_feed, parse_sitemap, parse_url_list, url_problem
from .robots import Robots

__all__ = ["Discovery", "Found"]

_PAGE_LINKS = 2000


@dataclass
class Found:
    """The URLs a source yielded (a few times its cap at most, for the crawl to choose from) and the problems
    met on the way."""

    urls: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Discovery:
    """Reads sources on the calling thread, politely, before the fetch threads start."""

    def __init__(self, config: Config, fetcher: Fetcher, robots: Robots, hosts: HostQueue, stop: threading.Event):
        self.config = config
        self.fetcher = fetcher
        self.robots = robots
        self.hosts = hosts
        self.stop = stop

    def read(self, source: SourceConfig, limit: int) -> Found:
        """Up to ``limit`` page URLs of ``source``, in the source's order, without duplicates.

        A caller that rotates through a source larger than its cap passes a larger ``limit`` and picks.
        """
        found = Found()
        problem = url_problem(source.url) if source.url else None
        if problem:  # said as it is, not as a robots.txt that 'forbids' a URL nobody could fetch
            found.errors.append(f"source {source.name}: url {source.url!r} {problem}")
            return found
        try:
            if source.type == "sitemap":
                self._sitemaps(source.url, limit, found)
            elif source.type == "feed":
                found.urls = parse_feed(self._body(source.url), source.url)
            elif source.type == "urls":
                found.urls = self._url_list(source)
            else:
                found.urls = self._page_links(source.url)
        except FetchInterrupted:
            raise
        except DetectorError as error:
            found.errors.append(f"source {source.name}: {error}")
        found.urls = list(dict.fromkeys(found.urls))[:limit]
        return found

    def fetch(self, url: str) -> Fetched:
        """GET a source document under robots.txt and the host's delay; any status but 200 is an error."""
        fetched = self.polite_get(url, accept=None, max_bytes=self.config.fetch.max_source_bytes)
        if fetched.status != 200:
            raise SourceError(f"{url}: HTTP status {fetched.status}")
        return fetched

    def polite_get(self, url: str, accept: tuple[str, ...] | None, max_bytes: int | None) -> Fetched:
        """GET ``url`` under robots.txt and the host's delay, whatever the answer's status.

        Raises SourceError when robots.txt forbids the URL or asks for a longer delay than allowed.
        """
        host = urlsplit(url).netloc.lower()
        rules, requested = self.robots.rules(url)
        if requested:
            self.hosts.mark_request(host)
        if not rules.allowed(url, self.fetcher.user_agent):
            kind, _, detail = rules.refusal()
            raise SourceError(f"{url}: {detail}" + ("" if kind == "robots" else ", so the site is not crawled (RFC 9309)"))
        delay = max(rules.crawl_delay(self.fetcher.user_agent) or 0.0, self.config.crawl.per_host_delay)
        if delay > self.config.crawl.max_crawl_delay:
            raise SourceError(f"{url}: robots.txt Crawl-delay {delay:g} s is over [crawl] max_crawl_delay")
        if not self.hosts.pace(host, self.stop, delay):
            raise FetchInterrupted(f"{url}: stopped")
        try:
            return self.fetcher.get(url, accept=accept, max_bytes=max_bytes, pause=delay)
        finally:
            self.hosts.mark_request(host)

    def _body(self, url: str) -> bytes:
        """A source document's bytes, inflated when it is a gzip file (``sitemap.xml.gz``)."""
        body = self.fetch(url).body
        if body.startswith(GZIP_MAGIC):
            body = gunzip_capped(body, url, self.config.fetch.max_source_bytes)
        return body

    def _sitemaps(self, url: str, limit: int, found: Found) -> None:
        """Walk a sitemap or a sitemap index, breadth first, within ``[crawl] max_sitemaps`` files."""
        queue, seen = [url], set[str]()
        while queue and len(found.urls) < limit and len(seen) < self.config.crawl.max_sitemaps:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            try:
                kind, locations = parse_sitemap(self._body(current), current)
            except FetchInterrupted:
                raise
            except DetectorError as error:
                if current == url:
                    raise
                found.errors.append(f"sitemap {current}: {error}")
                continue
            if kind == SITEMAP_INDEX:
                queue.extend(locations)
            else:
                found.urls.extend(locations)

    def _url_list(self, source: SourceConfig) -> list[str]:
        if not source.file:
            return parse_url_list(self._body(source.url).decode("utf-8", errors="replace"), source.url)
        path = Path(source.file)
        try:
            if path.stat().st_size > self.config.fetch.max_source_bytes:
                raise SourceError(f"{path}: larger than [fetch] max_source_bytes")
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            raise SourceError(f"{path}: cannot read the URL list ({error.strerror or error})") from None
        return parse_url_list(text, str(path))

    def _page_links(self, url: str) -> list[str]:
        """The page itself and the links on it to the same host: one hop, for sites with no sitemap or feed."""
        fetched = self.fetch(url)
        text, _ = fetched.text()
        host = urlsplit(fetched.final_url).netloc.lower()
        links = [clean_url(link.href) for link in read_links(parse_html(text), fetched.final_url, _PAGE_LINKS)]
        same = [link for link in links if link and urlsplit(link).netloc.lower() == host]
        return [fetched.final_url, *same]
