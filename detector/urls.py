"""When two URLs name the same page, and which host a URL is on.

The URLs compared here come from hostile pages (a canonical link, a link's
href) and from feeds that decorate every link with tracking parameters, so
nothing here raises: a URL that urllib cannot split equals only itself.
Tracking parameters (``utm_*``, ``fbclid`` and the like) never change which
page a URL names, so they are left out of a URL's identity; any other query
parameter may (``?p=123`` is a WordPress post), so it stays.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["host_of", "same_url", "url_key", "without_tracking"]

_TRACKING_PREFIXES = ("utm_", "mtm_", "pk_")
_TRACKING_NAMES = frozenset(
    "fbclid gclid dclid gbraid wbraid msclkid yclid twclid igshid mc_cid mc_eid _hsenc _hsmi mkt_tok "
    "_ga _gl oly_anon_id oly_enc_id vero_id".split()
)


#: A folder's index file names the folder's page: /post/index.html is /post/.
_INDEX = re.compile(r"/index\.(?:html?|php)$", re.IGNORECASE)


def _bare_host(hostname: str | None) -> str:
    host = (hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def host_of(url: str | None) -> str:
    """The host without a leading ``www.``; "" for no URL or one that cannot be split."""
    try:
        return _bare_host(urlsplit(url).hostname) if url else ""
    except ValueError:
        return ""


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith(_TRACKING_PREFIXES) or lowered in _TRACKING_NAMES


def _query(query: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not _is_tracking(k)]


def url_key(url: str) -> tuple[str, str, str]:
    """What :func:`same_url` compares: host without www., path without a trailing slash, the
    query without tracking parameters and in sorted order."""
    try:
        parts = urlsplit(url.strip())
        host = _bare_host(parts.hostname)
    except ValueError:
        return ("", url.strip(), "")
    query = urlencode(sorted(_query(parts.query))) if parts.query else ""
    path = _INDEX.sub("", parts.path).rstrip("/") or "/"
    return host, path, query


def same_url(a: str | None, b: str | None) -> bool:
    """URLs equal up to scheme, a leading www., a trailing slash or index file, the fragment, the
    order of the query's parameters and tracking parameters."""
    if not a or not b:
        return False
    return url_key(a) == url_key(b)


def without_tracking(url: str) -> str:
    """``url`` with its tracking parameters and fragment removed; the rest as written."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.query and not parts.fragment:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _is_tracking(k)]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
