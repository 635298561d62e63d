"""Refuse URLs whose host resolves to an address a public crawler has no business reaching.

Scraped pages and redirects are hostile: a redirect to 169.254.169.254 or to
an admin panel on the LAN is a classic server-side request forgery. Every
hop's resolved addresses are checked, not just the first URL's name.

Checking a name and then letting the HTTP library resolve it again leaves a
gap: a DNS server can answer a public address to the check and 127.0.0.1 to
the connection (DNS rebinding). :class:`GuardedAdapter` closes it: every
connection resolves the name once, refuses if any address is forbidden, and
connects to the address it checked. TLS still verifies the certificate
against the host name.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ..errors import BlockedAddress, FetchError

__all__ = ["check_url", "GuardedAdapter"]

_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


def _forbidden(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address in _METADATA or address.is_private or address.is_loopback or address.is_link_local
        or address.is_multicast or address.is_reserved or address.is_unspecified
    )


def _first_forbidden(infos: list[Any]) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The first forbidden address among ``getaddrinfo`` answers, or None when all are public."""
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if _forbidden(address):
            return address
    return None


def check_url(url: str, allow_private: bool) -> None:
    """Raise unless ``url`` is http(s) and (unless ``allow_private``) resolves only to public addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url}: only http and https URLs can be fetched")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"{url}: cannot resolve host {parts.hostname} ({error})") from None
    address = _first_forbidden(infos)
    if address is not None:
        raise BlockedAddress(
            f"{url}: refused, {parts.hostname} resolves to private address {address}"
            " (set [crawl] allow_private_addresses = true to allow)"
        )


def _public_address(host: str, port: int) -> str:
    """The address to connect to for ``host``; raises BlockedAddress if any of its addresses is forbidden."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)  # gaierror is an OSError: urllib3 reports it
    address = _first_forbidden(infos)
    if address is not None:
        raise BlockedAddress(f"{host}: refused at connect time, it now resolves to private address {address}"
                             " (set [crawl] allow_private_addresses = true to allow)")
    return str(infos[0][4][0])


class _Guarded:
    """Mixed into urllib3's connections: resolve once, check, connect to the checked address."""

    _dns_host: str
    port: int

    def _new_conn(self) -> Any:
        name = self._dns_host
        self._dns_host = _public_address(name, self.port)
        try:
            return super()._new_conn()  # type: ignore[misc]  # urllib3's connection below in the MRO
        finally:
            self._dns_host = name


class _GuardedHTTPConnection(_Guarded, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_Guarded, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections only ever reach public addresses."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}
