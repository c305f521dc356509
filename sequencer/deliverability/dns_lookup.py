"""Reading DNS for the checks: one configurable resolver (tests point it at a server on loopback)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import dns.exception
import dns.name
import dns.resolver

TIMEOUT = 5.0


class DnsUnavailable(Exception):
    """DNS did not answer (timeout, refused, SERVFAIL): no verdict on the record either way."""


@dataclass(frozen=True)
class DnsSettings:
    """Which server to ask: None for the system's resolvers (the app's DNS_NAMESERVER / DNS_PORT)."""

    nameserver: str | None = None
    port: int = 53
    timeout: float = TIMEOUT


def lookup_for(config: Mapping[str, Any]) -> Lookup:
    """The resolver the app's settings name (DNS_NAMESERVER, DNS_PORT), passed in: no Flask down here."""
    return Lookup(DnsSettings(config.get("DNS_NAMESERVER"), int(config.get("DNS_PORT") or 53)))


class Lookup:
    """TXT and CNAME/MX answers as plain strings; a missing name or record is an empty list."""

    def __init__(self, settings: DnsSettings):
        try:
            self.resolver = dns.resolver.Resolver(configure=settings.nameserver is None)
        except dns.resolver.NoResolverConfiguration:  # no /etc/resolv.conf: every lookup says DNS is unavailable
            self.resolver = dns.resolver.Resolver(configure=False)
        if settings.nameserver is not None:
            self.resolver.nameservers = [settings.nameserver]
            self.resolver.port = settings.port
        self.resolver.lifetime = self.resolver.timeout = settings.timeout

    def _answer(self, name: str, rdtype: str) -> list:
        try:
            return list(self.resolver.resolve(name, rdtype, search=False))
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except (dns.resolver.NoNameservers, dns.exception.Timeout, dns.resolver.LifetimeTimeout) as exc:
            raise DnsUnavailable(f"DNS did not answer for {name} ({type(exc).__name__})") from None
        except (dns.name.LabelTooLong, dns.name.NameTooLong, dns.name.EmptyLabel) as exc:
            raise DnsUnavailable(f"{name} is not a valid DNS name ({exc})") from None

    def txt(self, name: str) -> list[str]:
        return [b"".join(r.strings).decode(errors="replace") for r in self._answer(name, "TXT")]

    def mx(self, name: str) -> list[str]:
        return sorted(str(r.exchange).rstrip(".").lower() for r in self._answer(name, "MX"))

    def cname(self, name: str) -> list[str]:
        return [str(r.target).rstrip(".").lower() for r in self._answer(name, "CNAME")]
