"""SASL XOAUTH2 for SMTP and IMAP: the one place that logs an OAuth mailbox in, retrying once after a refresh.

A server may refuse a token the provider has already revoked or expired early (SMTP 535, IMAP NO): the
token is then refreshed and the login tried once more; a second refusal is the server's answer.
"""
from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Callable

from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from sequencer.mailauth.tokens import access_token
from sequencer.models import Mailbox
from sequencer.platform.security import SecretBox


def sasl_string(user: str, token: str) -> str:
    """The XOAUTH2 initial response (before base64), as Google and Microsoft document it."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def _smtp_auth(conn: smtplib.SMTP, user: str, token: str) -> None:
    # on a 334 error challenge the client answers empty, and the server then gives its final 535
    conn.auth("XOAUTH2", lambda challenge=None: "" if challenge is not None else sasl_string(user, token),
              initial_response_ok=True)


def smtp_login(conn: smtplib.SMTP, mailbox: Mailbox, secrets: SecretBox) -> None:
    """AUTH XOAUTH2 on an open (and, outside tests, encrypted) SMTP connection."""
    user = mailbox.smtp_username or mailbox.email
    try:
        _smtp_auth(conn, user, access_token(mailbox, secrets))
    except smtplib.SMTPAuthenticationError:
        _smtp_auth(conn, user, access_token(mailbox, secrets, force=True))


def imap_login(open_client: Callable[[], IMAPClient], mailbox: Mailbox, secrets: SecretBox) -> IMAPClient:
    """A client logged in by AUTHENTICATE XOAUTH2; the retry uses a fresh connection (a refused exchange may
    leave the old one mid-challenge)."""
    user = mailbox.imap_username or mailbox.email
    for force in (False, True):
        client = open_client()
        try:
            client.oauth2_login(user, access_token(mailbox, secrets, force=force))
            return client
        except LoginError:
            _shutdown(client)
            if force:
                raise
        except BaseException:
            _shutdown(client)
            raise
    raise AssertionError("unreachable")


def _shutdown(client: IMAPClient) -> None:
    with contextlib.suppress(Exception):
        client.shutdown()
