"""Fetch one URL with requests: timeouts, a streamed size cap, checked redirects, HTML or text only.

The body cap counts decoded bytes, so a gzip bomb is cut off at the cap
instead of filling memory.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin

import requests

from .. import __version__
from ..config import Config
from ..errors import FetchError
from .addresses import check_url

__all__ = ["Fetched", "Fetcher", "ACCEPTED_TYPES"]

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
KEPT_HEADERS = ("content-type", "content-length", "last-modified", "etag", "server", "date", "x-powered-by",
                "via", "cf-ray", "x-served-by", "location")


@dataclass(frozen=True)
class Fetched:
    """A fetched document: the evidence snapshot a report relies on."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str
    content_type: str
    redirects: tuple[str, ...] = field(default=())

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


class Fetcher:
    """One pooled requests session configured from the config."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.session = requests.Session()
        self.session.headers["User-Agent"] = config.fetch.user_agent.format(
            version=__version__, contact=config.fetch.contact
        )
        self.session.headers["Accept"] = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"

    def close(self) -> None:
        self.session.close()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        """GET ``url`` following at most ``max_redirects`` redirects, each hop checked."""
        fetch = self.config.fetch
        hops: list[str] = []
        current = url
        for _ in range(fetch.max_redirects + 1):
            check_url(current, self.config.crawl.allow_private_addresses)
            try:
                response = self.session.get(
                    current, headers=headers, stream=True, allow_redirects=False,
                    timeout=(fetch.connect_timeout, fetch.read_timeout),
                )
            except requests.RequestException as error:
                raise FetchError(f"{current}: {type(error).__name__}: {error}") from None
            with response:
                if response.is_redirect and "location" in response.headers:
                    hops.append(current)
                    current = urljoin(current, response.headers["location"])
                    continue
                return self._read(url, current, response, tuple(hops))
        raise FetchError(f"{url}: more than {fetch.max_redirects} redirects")

    def _read(self, url: str, final: str, response: requests.Response, hops: tuple[str, ...]) -> Fetched:
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if response.status_code == 200 and content_type and content_type not in ACCEPTED_TYPES:
            raise FetchError(f"{final}: content type {content_type} is not HTML or text")
        limit = self.config.fetch.max_bytes
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"{final}: body larger than the {limit:,}-byte cap ([fetch] max_bytes)")
                chunks.append(chunk)
        except requests.RequestException as error:
            raise FetchError(f"{final}: {type(error).__name__}: {error}") from None
        kept = {k: v for k, v in response.headers.items() if k.lower() in KEPT_HEADERS}
        return Fetched(url, final, response.status_code, kept, b"".join(chunks),
                       datetime.now(timezone.utc).isoformat(timespec="seconds"), content_type, hops)
