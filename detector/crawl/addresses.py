"""Refuse URLs whose host resolves to an address a public crawler has no business reaching.

Scraped pages and redirects are hostile: a redirect to 169.254.169.254 or to
an admin panel on the LAN is a classic server-side request forgery. Every
hop's resolved addresses are checked, not just the first URL's name.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from ..errors import BlockedAddress, FetchError

__all__ = ["check_url"]

_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


def _forbidden(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address in _METADATA or address.is_private or address.is_loopback or address.is_link_local
        or address.is_multicast or address.is_reserved or address.is_unspecified
    )


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
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if _forbidden(address):
            raise BlockedAddress(
                f"{url}: refused, {parts.hostname} resolves to private address {address}"
                " (set [crawl] allow_private_addresses = true to allow)"
            )
