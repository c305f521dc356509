"""What OAuth costs a send batch: an SMTP connection + login with a cached access token (XOAUTH2, the sink
asking the provider's introspection endpoint) against a password login, and one token refresh.

    .venv/bin/python bench/oauth_login.py [--rounds 200]

Everything on loopback: the tests' local OAuth provider, the XOAUTH2 sink and a password sink, an in-memory
SQLite for the mailbox and the OAuth client. The sinks' own token check is part of the XOAUTH2 number, as
Gmail's is part of a real login; a batch logs in once, so this is a per-batch cost, not a per-message one.
"""
from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: `tests` imports

from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from sequencer.mail.mailboxes import smtp_connection  # noqa: E402
from sequencer.mailauth import apps  # noqa: E402
from sequencer.mailauth.providers import GOOGLE  # noqa: E402
from sequencer.mailauth.tokens import refresh, store_grant  # noqa: E402
from sequencer.models import Mailbox  # noqa: E402
from sequencer.models.mail import MailboxAuth, SmtpSecurity, Transport  # noqa: E402
from sequencer.platform import clock  # noqa: E402
from sequencer.platform.db import Base  # noqa: E402
from sequencer.platform.security import SecretBox  # noqa: E402
from tests.support.oauth_provider import CLIENT_ID, CLIENT_SECRET, OAuthProvider  # noqa: E402
from tests.support.smtp_sink import Sink  # noqa: E402
from tests.support.xoauth2_sink import XOAuth2Sink  # noqa: E402

USER = "rep@acme-demo.com"


def _timed(rounds: int, action) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _line(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    print(f"{name:<38} median {statistics.median(ms):6.2f} ms   p95 {ms[int(len(ms) * 0.95) - 1]:6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd logs a deprecation on every login
    secrets = SecretBox("bench-secret")
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with OAuthProvider() as provider, XOAuth2Sink(provider.url) as oauth_sink, Sink(password="pw") as plain_sink, \
            Session(engine) as session:
        apps.save_app(session, GOOGLE, {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                                        "token_url": provider.url + "/token"}, secrets, clock.now())
        oauth = Mailbox(email=USER, transport=Transport.SMTP, auth=MailboxAuth.OAUTH_GOOGLE, smtp_host="127.0.0.1",
                        smtp_port=oauth_sink.port, smtp_security=SmtpSecurity.NONE, smtp_username=USER)
        plain = Mailbox(email="p" + USER, transport=Transport.SMTP, smtp_host="127.0.0.1", smtp_port=plain_sink.port,
                        smtp_security=SmtpSecurity.NONE, smtp_username=USER, smtp_password_encrypted=secrets.encrypt("pw"))
        session.add_all([oauth, plain])
        session.flush()
        store_grant(oauth, provider.grant_directly(USER), secrets, clock.now())
        _line("SMTP connect + AUTH PLAIN (password)", _timed(rounds, lambda: smtp_connection(plain, secrets).quit()))
        _line("SMTP connect + AUTH XOAUTH2 (cached)", _timed(rounds, lambda: smtp_connection(oauth, secrets).quit()))
        _line("token refresh (provider round trip)", _timed(rounds, lambda: refresh(oauth, secrets, clock.now())))
        print(f"refreshes during the cached-token logins: 0 expected, provider counted "
              f"{provider.state.counts['refresh_token'] - rounds}")


if __name__ == "__main__":
    main()
