"""The SSRF guard: https only, and no private, loopback or link-local address after DNS resolution, unless
WEBHOOK_ALLOWED_PRIVATE names the host or its network (which also allows plain http for it). Delivery
connects to the address checked here, so a DNS answer cannot change between the check and the request."""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from sequencer.errors import Invalid
from sequencer.texts import tr

IP = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class AllowList:
    hosts: frozenset[str]
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]

    @classmethod
    def parse(cls, raw: str | None) -> AllowList:
        hosts, networks = set(), []
        for item in (raw or "").split(","):
            item = item.strip().lower()
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                hosts.add(item.rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def names(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def covers(self, address: IP) -> bool:
        return any(address in net for net in self.networks)


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP the connection goes to


class Refused(Exception):
    """The URL may not be called; the message says why (shown to the person who entered it)."""


def _public(address: IP) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve(url: str, allow: AllowList) -> Target:
    """Check the URL and pick the address to call; raise Refused when it is not allowed."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise Refused(tr("the URL must be an absolute https:// URL"))
    if parts.username or parts.password:
        raise Refused(tr("the URL must not carry a user name or password"))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused(tr("the URL has an invalid port")) from None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused(tr("the host %(host)s does not resolve", host=host)) from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    named = allow.names(host)
    for address in addresses:
        if not (_public(address) or named or allow.covers(address)):
            raise Refused(tr("%(host)s resolves to %(address)s, a private, loopback or link-local address", host=host,
                                  address=str(address)))
    exempt = named or all(allow.covers(a) for a in addresses)
    if parts.scheme == "http" and not exempt:
        raise Refused(tr("only https:// URLs are allowed (plain http only for hosts in WEBHOOK_ALLOWED_PRIVATE)"))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, str(addresses[0]))


def check(url: str, allow: AllowList) -> str:
    """The URL, cleaned, for storing; Invalid(url) when the guard refuses it."""
    url = (url or "").strip()
    if len(url) > 2000:
        raise Invalid.field("url", tr("at most 2,000 characters"))
    try:
        resolve(url, allow)
    except Refused as exc:
        raise Invalid.field("url", exc.args[0] if exc.args else str(exc)) from None
    return url
