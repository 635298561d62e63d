"""Fetch one URL with requests: timeouts, a streamed size cap, checked redirects, retries, conditional GET.

One pooled session serves every thread of a crawl. Redirects are followed
by hand, one hop at a time, so every hop's address is checked before we
connect to it. Connection errors, 429 and 5xx answers are retried with
exponential backoff, and a server's Retry-After wins over our own backoff.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from functools import cached_property
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

from .. import __version__
from ..config import Config
from ..errors import FetchError, FetchInterrupted, FetchTimeout, TooManyRedirects, UnacceptableContent
from .addresses import GuardedAdapter, check_url
from .body import BodyBroken, read_capped
from .charset import decode_body

__all__ = ["Fetched", "Fetcher", "ACCEPTED_TYPES", "AddressCheck"]

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
KEPT_HEADERS = ("content-type", "content-length", "content-encoding", "content-language", "last-modified", "etag",
                "server", "date", "x-powered-by", "via", "cf-ray", "x-served-by", "location", "link",
                "x-robots-tag", "retry-after")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})

#: Called with every URL before connecting to it; raises to refuse it.
AddressCheck = Callable[[str], None]


#: A redirect's or an error's body up to this size is read and dropped, so its connection is kept for the host's
#: next request: a new connection per 404 or 301 is needless load, and robots.txt is often a 404.
_DRAIN_BYTES = 65536


def _drain(response: requests.Response, url: str, deadline: float) -> None:
    """Read a small unwanted body to its end so that the connection goes back to the pool; a larger or broken
    one is left, and the connection is closed with the response."""
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > _DRAIN_BYTES:
        return
    try:
        read_capped(response, url, _DRAIN_BYTES, deadline)
    except FetchError:
        pass


class _Unreachable(FetchError):
    """No connection: a closed port or an unknown name, which a retry in seconds will not change."""

    reason = "connection error"


class _ConnectFailed(_Unreachable):
    """The connection could not be made or broke before an answer: worth retrying."""


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
    attempts: int = 1

    @cached_property
    def sha256(self) -> str:
        """The body's digest: the snapshot's identity and the test for an unchanged page."""
        return hashlib.sha256(self.body).hexdigest()

    @property
    def not_modified(self) -> bool:
        """The server answered a conditional GET with 304: the page is as we last saw it."""
        return self.status == 304

    def text(self) -> tuple[str, str]:
        """The body decoded (header, then ``<meta>``, then detection) and the codec used."""
        markup = self.content_type != "text/plain"
        return decode_body(self.body, self.headers.get("content-type", ""), markup)


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class Fetcher:
    """One pooled requests session configured from the config, safe to share between crawl threads.

    ``stop`` interrupts the waits between retries (a crawl being shut down);
    ``check`` vets every URL before connecting (by default the private
    address rule of ``[crawl] allow_private_addresses``).
    """

    def __init__(self, config: Config, stop: threading.Event | None = None, check: AddressCheck | None = None,
                 pool_hosts: int = 256) -> None:
        self.config = config
        self.stop = stop or threading.Event()
        self.check = check or (lambda url: check_url(url, config.crawl.allow_private_addresses))
        self.user_agent = config.fetch.user_agent.format(version=__version__, contact=config.fetch.contact)
        self.session = requests.Session()
        # Unless private addresses are allowed, every connection is checked again when it is opened (DNS rebinding).
        kind = HTTPAdapter if config.crawl.allow_private_addresses else GuardedAdapter
        adapter = kind(pool_connections=pool_hosts, pool_maxsize=4, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = self.user_agent
        self.session.headers["Accept"] = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"

    def close(self) -> None:
        self.session.close()

    def get(self, url: str, headers: dict[str, str] | None = None, accept: tuple[str, ...] | None = ACCEPTED_TYPES,
            max_bytes: int | None = None, pause: float = 0.0, truncate: bool = False) -> Fetched:
        """GET ``url``: retried on connection errors, 429 and 5xx; returns the last answer, whatever its status.

        ``accept`` lists the content types a 200 may have (None: any);
        ``pause`` is the least wait between two requests to the host, which a
        retry respects too. With ``truncate``, a body over ``max_bytes`` is cut
        there instead of refused.
        """
        fetch = self.config.fetch
        for attempt in range(fetch.retries + 1):
            wait = max(pause, fetch.backoff * 2 ** attempt)
            try:
                fetched = self._follow(url, headers, accept, max_bytes or fetch.max_bytes, attempt + 1, truncate)
            except (_ConnectFailed, BodyBroken):
                if attempt == fetch.retries:
                    raise
            else:
                if fetched.status not in RETRY_STATUSES or attempt == fetch.retries:
                    return fetched
                asked = retry_after(fetched.headers.get("retry-after"))
                if asked is not None and asked > fetch.max_retry_after:
                    return fetched
                wait = max(pause, asked) if asked is not None else wait
            if self.stop.wait(wait):
                raise FetchInterrupted(f"{url}: stopped while waiting to retry")
        raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover

    def _follow(self, url: str, headers: dict[str, str] | None, accept: tuple[str, ...] | None, limit: int,
                attempt: int, truncate: bool = False) -> Fetched:
        """One attempt: follow at most ``max_redirects`` redirects, checking every hop, and read the answer."""
        hops: list[str] = []
        current = url
        for _ in range(self.config.fetch.max_redirects + 1):
            self.check(current)
            deadline = time.monotonic() + self.config.fetch.total_timeout
            response = self._request(current, headers)
            with response:
                location = response.headers.get("location")
                if response.status_code in _REDIRECTS and location:
                    _drain(response, current, deadline)
                    hops.append(current)
                    current = urljoin(current, location.strip())
                    if current in hops:
                        raise TooManyRedirects(f"{url}: redirect loop back to {current}")
                    continue
                return self._read(url, current, response, tuple(hops), accept, limit, deadline, attempt, truncate)
        raise TooManyRedirects(f"{url}: more than {self.config.fetch.max_redirects} redirects ([fetch] max_redirects)")

    def _request(self, url: str, headers: dict[str, str] | None) -> requests.Response:
        fetch = self.config.fetch
        try:
            return self.session.get(url, headers=headers, stream=True, allow_redirects=False,
                                    timeout=(fetch.connect_timeout, fetch.read_timeout))
        except requests.exceptions.ReadTimeout:
            raise FetchTimeout(f"{url}: no answer within [fetch] read_timeout ({fetch.read_timeout:g} s)") from None
        except requests.exceptions.ConnectTimeout:
            raise _ConnectFailed(f"{url}: connect timed out ([fetch] connect_timeout)") from None
        except requests.exceptions.ConnectionError as error:
            cause = _cause(error)
            # A closed port or an unknown name will not change in a few seconds: report it, do not retry.
            kind = _Unreachable if cause in _PERMANENT else _ConnectFailed
            raise kind(f"{url}: cannot connect to {urlsplit(url).netloc} ({cause})") from None
        except requests.RequestException as error:
            raise FetchError(f"{url}: {type(error).__name__}: {error}") from None

    def _read(self, url: str, final: str, response: requests.Response, hops: tuple[str, ...],
              accept: tuple[str, ...] | None, limit: int, deadline: float, attempt: int,
              truncate: bool = False) -> Fetched:
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if response.status_code == 200 and accept is not None and content_type and content_type not in accept:
            raise UnacceptableContent(f"{final}: content type {content_type} is not HTML or text", content_type)
        if response.status_code == 200:
            body = read_capped(response, final, limit, deadline, truncate)
        else:
            body = b""
            _drain(response, final, deadline)
        kept = {k.lower(): v for k, v in response.headers.items() if k.lower() in KEPT_HEADERS}
        return Fetched(url, final, response.status_code, kept, body,
                       datetime.now(timezone.utc).isoformat(timespec="seconds"), content_type, hops, attempt)


_PERMANENT = frozenset({"connection refused", "name or service not known", "nodename nor servname"})


def _cause(error: Exception) -> str:
    """The innermost reason of a requests connection error, short enough for one line."""
    text = str(error.args[0] if error.args else error)
    for marker in ("Connection refused", "Name or service not known", "nodename nor servname", "timed out",
                   "Connection reset", "Remote end closed", "Connection aborted"):
        if marker in text:
            return marker.lower()
    return text[-120:]
