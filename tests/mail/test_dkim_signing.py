"""DKIM signing on the send path: the SMTP sink verifies each signature with dkimpy against a DNS server."""
from __future__ import annotations

import dkim as dkimpy
import dns.resolver

from sequencer.deliverability import dkim
from sequencer.platform.security import SecretBox


def _dns_from(port: int):
    """dkimpy's TXT lookup, asking the loopback server."""
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers, resolver.port = ["127.0.0.1"], port

    def fetch(name: bytes, timeout: int = 5) -> bytes | None:
        try:
            answer = resolver.resolve(name.decode().rstrip("."), "TXT")
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return None
        return b"".join(answer[0].strings)
    return fetch


def test_sent_mail_carries_a_signature_the_receiver_verifies(app, session, world, enrol, cycle, sink, loopback_dns):
    mailbox = world["mailbox"]
    secrets = SecretBox(app.config["SECRET_KEY"])
    dkim.generate_key(mailbox, secrets, selector="seq2026")
    mailbox.dkim_signing = True
    session.commit()
    name, value = dkim.dns_record(mailbox, secrets)
    assert name == "seq2026._domainkey.kvitas-demo.com" and value.startswith("v=DKIM1; k=rsa; p=MII")
    assert "PRIVATE KEY" not in mailbox.dkim_private_key_encrypted  # encrypted at rest
    loopback_dns.zone.add(name, "TXT", value)
    enrol(email="sarunas@grudu-baze.lt")

    cycle()

    [raw] = sink.handler.messages
    assert raw.startswith(b"DKIM-Signature:")
    assert dkimpy.verify(raw, dnsfunc=_dns_from(loopback_dns.port))
    tampered = raw.replace(b"Subject: ", b"Subject: FW: ", 1)
    assert not dkimpy.verify(tampered, dnsfunc=_dns_from(loopback_dns.port))


def test_a_mailbox_that_does_not_sign_sends_unsigned(session, world, enrol, cycle, sink):
    enrol(email="sarunas@grudu-baze.lt")
    cycle()
    [raw] = sink.handler.messages
    assert b"DKIM-Signature" not in raw
