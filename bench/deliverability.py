"""What deliverability adds to the send path: DKIM signing per message, the warm-up limit per claim, and one
domain's DNS check against a loopback server.

    .venv/bin/python -m bench.deliverability [--messages 500]

No database: a Mailbox object, a built message, a dnslib server on loopback.
"""
from __future__ import annotations

import argparse
import timeit
from datetime import UTC, date, datetime

from sequencer.deliverability import dkim, warmup
from sequencer.deliverability.dns_lookup import DnsSettings, Lookup
from sequencer.deliverability.domain_checks import check_sending_domain
from sequencer.mail.compose import Composed
from sequencer.mail.mime import build_message
from sequencer.models import Mailbox
from sequencer.platform.security import SecretBox
from tests.support.dns_server import LoopbackDns

SECRET = "bench-secret-key"


def _message() -> bytes:
    body = "Hello Šarūnas,\n\n" + "A line of an ordinary cold email, with a link https://acme.example/tour.\n" * 12
    composed = Composed(subject="Sąskaitos – quick question", body_html=f"<p>{body}</p>", body_text=body, missing=[],
                        message_id="<sr1.abc@acme.example>", from_name="Ona", from_email="ona@acme.example",
                        to_name="Šarūnas", to_email="s@grudu-baze.lt",
                        headers={"List-Unsubscribe": "<https://x.example/u/t>",
                                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    return build_message(composed, datetime(2026, 12, 7, 8, tzinfo=UTC))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    mailbox = Mailbox(email="ona@acme.example", daily_limit=200, dkim_signing=True,
                      warmup_started_on=date(2026, 11, 2))
    dkim.generate_key(mailbox, SecretBox(SECRET), "bench")
    data = _message()
    best = min(timeit.repeat(lambda: dkim.sign(data, mailbox, SECRET), number=args.messages, repeat=3))
    print(f"DKIM sign ({len(data)} B message, RSA 2048): {best / args.messages * 1e3:.2f} ms a message")
    best = min(timeit.repeat(lambda: warmup.limit_for(mailbox, date(2026, 12, 7)), number=2000, repeat=3))
    print(f"warm-up limit_for (5 weeks into the ramp): {best / 2000 * 1e6:.1f} µs a claim")
    with LoopbackDns() as server:
        for (name, rtype), value in {("acme.example", "TXT"): "v=spf1 include:_spf.google.com ~all",
                                     ("acme.example", "MX"): "aspmx.l.google.com",
                                     ("_dmarc.acme.example", "TXT"): "v=DMARC1; p=none",
                                     ("google._domainkey.acme.example", "TXT"): "v=DKIM1; p=MIIB"}.items():
            server.zone.add(name, rtype, value)
        lookup = Lookup(DnsSettings("127.0.0.1", server.port, timeout=2))
        best = min(timeit.repeat(lambda: check_sending_domain(lookup, "acme.example", "smtp.gmail.com", None),
                                 number=50, repeat=3))
        print(f"one domain's DNS check (5 queries, loopback): {best / 50 * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
