"""A DNS server on loopback for the deliverability checks, and a domain that passes them all."""
from __future__ import annotations

import pytest

from sequencer.deliverability.dns_lookup import DnsSettings, Lookup

GOOD_GOOGLE = {
    ("acme.example", "TXT"): "v=spf1 include:_spf.google.com ~all",
    ("acme.example", "MX"): "aspmx.l.google.com",
    ("_dmarc.acme.example", "TXT"): "v=DMARC1; p=quarantine; rua=mailto:dmarc@acme.example",
    ("google._domainkey.acme.example", "TXT"): "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
}


@pytest.fixture
def dns(loopback_dns):
    return loopback_dns


@pytest.fixture
def lookup(dns):
    return Lookup(DnsSettings("127.0.0.1", dns.port, timeout=2))


@pytest.fixture
def publish(dns):
    """publish(records, without=(...)) puts GOOD_GOOGLE (less `without`) plus `records` in the zone."""
    def _publish(extra: dict | None = None, without: tuple = ()) -> None:
        for (name, rtype), value in {**{k: v for k, v in GOOD_GOOGLE.items() if k not in without},
                                     **(extra or {})}.items():
            for one in value if isinstance(value, list) else [value]:
                dns.zone.add(name, rtype, one)
    return _publish
