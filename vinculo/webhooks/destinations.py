"""Where a webhook may be sent: public http(s) addresses only.

An endpoint's URL is typed by a person or an API client, and the server then POSTs to it:
without this check anyone who may manage webhooks could make Vínculo call its own
database, a cloud metadata service (169.254.169.254) or the office network. The URL is
checked when the endpoint is saved and again before every send (the host is resolved
each time, since a name can be pointed elsewhere after it was saved).
``WEBHOOKS_ALLOW_PRIVATE`` lifts the check for development and tests.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeDestination(Exception):
    """The URL may not be called. ``code`` is ``scheme``, ``private`` or ``unresolved``."""

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        super().__init__(detail)


def check_destination(url: str, *, require_resolution: bool) -> None:
    """Returns if ``url`` may be called; raises ``UnsafeDestination`` otherwise.

    A host name that does not resolve is accepted when saving (``require_resolution``
    false: DNS may be down for a moment) and refused when sending.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeDestination("scheme", f"not an http(s) URL with a host: {url!r}")
    if parts.username or parts.password:
        raise UnsafeDestination("scheme", "credentials in the URL are not allowed")
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeDestination("scheme", f"bad port in {url!r}") from exc
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        raise UnsafeDestination("private", f"{host} is this machine")
    try:
        addresses = _addresses(host, port)
    except OSError as exc:
        if require_resolution:
            raise UnsafeDestination("unresolved", f"cannot resolve {host}: {exc}") from exc
        return
    for address in addresses:
        if not _is_public(address):
            raise UnsafeDestination("private", f"{host} resolves to a private address {address}")


def _addresses(host: str, port: int) -> list[IpAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]


def _is_public(address: IpAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast
