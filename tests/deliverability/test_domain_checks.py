"""Each missing or wrong DNS record gets its own plain-words finding, read from a real DNS server."""
from __future__ import annotations

import pytest

from sequencer.deliverability.dns_lookup import DnsSettings, DnsUnavailable, Lookup
from sequencer.deliverability.domain_checks import check_sending_domain, check_tracking_domain
from tests.support.smtp_sink import free_port


def problems(lookup, smtp_host="smtp.gmail.com", selector=None, domain="acme.example"):
    provider, findings = check_sending_domain(lookup, domain, smtp_host, selector)
    return provider, {f.record: f.problem for f in findings}


def test_a_complete_google_domain_passes(publish, lookup):
    publish()
    provider, found = problems(lookup)
    assert provider == "google"
    assert found == {"spf": None, "dkim": None, "dmarc": None, "mx": None}


def test_no_dmarc_says_gmail_and_yahoo_will_reject(publish, lookup):
    publish(without=(("_dmarc.acme.example", "TXT"),))
    assert problems(lookup)[1]["dmarc"] == "no DMARC record: Gmail and Yahoo will reject bulk mail from acme.example"


def test_dmarc_without_a_policy(publish, lookup):
    publish({("_dmarc.acme.example", "TXT"): "v=DMARC1; rua=mailto:x@acme.example"},
            without=(("_dmarc.acme.example", "TXT"),))
    assert "has no policy (p=)" in problems(lookup)[1]["dmarc"]


def test_no_spf_names_the_record_to_publish(publish, lookup):
    publish(without=(("acme.example", "TXT"),))
    message = problems(lookup)[1]["spf"]
    assert message.startswith("no SPF record")
    assert 'v=spf1 include:_spf.google.com ~all' in message


def test_two_spf_records_are_an_error(publish, lookup, dns):
    publish()
    dns.zone.add("acme.example", "TXT", "v=spf1 include:mailgun.org ~all")
    assert "2 SPF records for acme.example" in problems(lookup)[1]["spf"]


def test_spf_without_the_providers_include(publish, lookup):
    publish({("acme.example", "TXT"): "v=spf1 include:mailgun.org ~all"}, without=(("acme.example", "TXT"),))
    assert "does not include _spf.google.com" in problems(lookup)[1]["spf"]


def test_spf_plus_all_lets_anyone_send(publish, lookup):
    publish({("acme.example", "TXT"): "v=spf1 include:_spf.google.com +all"}, without=(("acme.example", "TXT"),))
    assert "ends in +all" in problems(lookup)[1]["spf"]


def test_no_mx(publish, lookup):
    publish(without=(("acme.example", "MX"),))
    assert problems(lookup)[1]["mx"].startswith("no MX record: replies and bounces to acme.example")


def test_missing_google_dkim_key(publish, lookup):
    publish(without=(("google._domainkey.acme.example", "TXT"),))
    assert problems(lookup)[1]["dkim"].startswith("no DKIM key at google._domainkey.acme.example")


def test_revoked_dkim_key(publish, lookup):
    publish({("google._domainkey.acme.example", "TXT"): "v=DKIM1; p="},
            without=(("google._domainkey.acme.example", "TXT"),))
    assert "is revoked (empty p=)" in problems(lookup)[1]["dkim"]


def test_microsoft_selectors_through_their_cname(dns, lookup):
    dns.zone.add("acme.example", "MX", "acme-example.mail.protection.outlook.com")
    dns.zone.add("acme.example", "TXT", "v=spf1 include:spf.protection.outlook.com -all")
    dns.zone.add("_dmarc.acme.example", "TXT", "v=DMARC1; p=none")
    dns.zone.add("selector2._domainkey.acme.example", "CNAME", "selector2-acme._domainkey.acme.onmicrosoft.com")
    dns.zone.add("selector2-acme._domainkey.acme.onmicrosoft.com", "TXT", "v=DKIM1; k=rsa; p=MIIBIjAN")
    provider, found = problems(lookup, smtp_host="smtp.office365.com")
    assert provider == "microsoft" and found == {"spf": None, "dkim": None, "dmarc": None, "mx": None}


def test_microsoft_without_dkim_names_both_selectors(dns, lookup):
    dns.zone.add("acme.example", "MX", "acme-example.mail.protection.outlook.com")
    message = problems(lookup, smtp_host=None)[1]["dkim"]
    assert "selector1._domainkey.acme.example or selector2._domainkey.acme.example" in message


def test_an_admin_named_selector_is_the_one_checked(publish, lookup, dns):
    publish()
    assert "no DKIM key at s2024._domainkey.acme.example" in problems(lookup, selector="s2024")[1]["dkim"]
    dns.zone.add("s2024._domainkey.acme.example", "TXT", "v=DKIM1; p=MIIB")
    assert problems(lookup, selector="s2024")[1]["dkim"] is None


def test_own_relay_without_a_selector_asks_for_one(publish, lookup):
    publish({("acme.example", "MX"): "mx.acme.example"}, without=(("acme.example", "MX"),))
    provider, found = problems(lookup, smtp_host="relay.acme.example")
    assert provider == "relay" and found["dkim"].startswith("no DKIM selector known for acme.example")


def test_tracking_cname(dns, lookup):
    assert check_tracking_domain(lookup, "track.acme.example", "app.seq.example").problem.startswith(
        "no CNAME record for track.acme.example: point it at app.seq.example")
    dns.zone.add("track.acme.example", "CNAME", "elsewhere.example")
    assert "points at elsewhere.example, not app.seq.example" in check_tracking_domain(
        lookup, "track.acme.example", "app.seq.example").problem
    dns.zone.records.clear()
    dns.zone.add("track.acme.example", "CNAME", "app.seq.example")
    assert check_tracking_domain(lookup, "track.acme.example", "app.seq.example").problem is None


def test_a_silent_dns_server_is_no_verdict():
    silent = Lookup(DnsSettings("127.0.0.1", free_port(), timeout=0.3))
    with pytest.raises(DnsUnavailable):
        silent.txt("acme.example")
