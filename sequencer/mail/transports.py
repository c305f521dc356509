"""Where a built message goes: SMTP (one connection per batch) or the outbox (stored + an .eml file).

Both have one interface (`MailTransport`): `send(sender, recipient, data, message_id)` and `close()`, so a
caller picks one with `open_transport` and never asks which it got. SMTP failures are classified so the
caller can tell "not sent, retry", "refused, hard bounce", "mailbox broken" and "maybe sent" apart.
"""
from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
from pathlib import Path
from typing import Protocol

from sequencer.mail.mailboxes import smtp_connection
from sequencer.mailauth.tokens import OAuthUnusable
from sequencer.models import Mailbox
from sequencer.models.mail import Transport
from sequencer.platform.outbox import outbox_filename  # noqa: F401  (re-exported: the transport's naming)
from sequencer.platform.security import SecretBox


class SendError(Exception):
    """`kind` is temporary | unreachable | bounce | rejected | mailbox | uncertain."""

    def __init__(self, kind: str, message: str, code: int | None = None):
        super().__init__(message)
        self.kind, self.code = kind, code


class MailTransport(Protocol):
    def send(self, sender: str, recipient: str, data: bytes, message_id: str = "") -> str:
        """Hand over one built message; returns what the other side said. Raises SendError."""

    def close(self) -> None:
        """Release the connection (if any); the transport may not be used afterwards."""


def open_transport(mailbox: Mailbox | None, secret_key: str, outbox_dir: str) -> MailTransport:
    """SMTP for an SMTP mailbox; the outbox for an outbox mailbox or none at all."""
    if mailbox is not None and mailbox.transport == Transport.SMTP:
        return SmtpTransport(mailbox, SecretBox(secret_key))
    return OutboxTransport(outbox_dir)


def _reply(code: int, text: bytes | str) -> str:
    text = text.decode(errors="replace") if isinstance(text, bytes) else text
    return f"{code} {text}".strip()


class SmtpTransport:
    def __init__(self, mailbox: Mailbox, secrets: SecretBox):
        self.mailbox, self.secrets = mailbox, secrets
        self.conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        try:
            self.conn = smtp_connection(self.mailbox, self.secrets)
        except OAuthUnusable as exc:  # revoked grant or no OAuth client: paused, its messages wait
            raise SendError("mailbox", str(exc)) from None
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError("mailbox", f"authentication failed: {_reply(exc.smtp_code, exc.smtp_error)}",
                            exc.smtp_code) from None
        except smtplib.SMTPResponseException as exc:
            kind = "mailbox" if exc.smtp_code >= 500 else "temporary"
            raise SendError(kind, f"server refused the session: {_reply(exc.smtp_code, exc.smtp_error)}",
                            exc.smtp_code) from None
        except (OSError, smtplib.SMTPException, ssl.SSLError, ValueError) as exc:
            raise SendError("unreachable", f"cannot connect to {self.mailbox.smtp_host}: {exc}") from None
        return self.conn

    def send(self, sender: str, recipient: str, data: bytes, message_id: str = "") -> str:
        """Send one message over the batch's connection; returns the server's final reply.

        `message_id` is not needed here (the header is in `data`); it is part of the shared interface.
        """
        conn = self.conn or self._connect()
        try:
            code, text = conn.mail(sender)
            if code != 250:
                conn.rset()
                raise SendError("mailbox" if code >= 500 else "temporary",
                                f"MAIL FROM refused: {_reply(code, text)}", code)
            code, text = conn.rcpt(recipient)
            if code not in (250, 251):
                conn.rset()
                raise SendError("bounce" if code >= 500 else "temporary",
                                f"recipient refused: {_reply(code, text)}", code)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.conn = None  # nothing was sent: safe to retry
            raise SendError("temporary", f"connection lost before DATA: {exc}") from None
        try:
            code, text = conn.data(data)
        except smtplib.SMTPResponseException as exc:
            raise SendError("rejected" if exc.smtp_code >= 500 else "temporary",
                            f"message refused: {_reply(exc.smtp_code, exc.smtp_error)}", exc.smtp_code) from None
        except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as exc:
            self.conn = None  # the server may have accepted it: never resend blindly
            raise SendError("uncertain", f"connection lost during DATA: {exc}") from None
        if code != 250:
            raise SendError("rejected" if code >= 500 else "temporary", f"message refused: {_reply(code, text)}",
                            code)
        return _reply(code, text)

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                self.conn.close()
            self.conn = None


class OutboxTransport:
    """Keeps the message: the step run holds the snapshot, and an .eml file lands in the outbox folder."""

    def __init__(self, folder: str):
        self.folder = Path(folder)

    def send(self, sender: str, recipient: str, data: bytes, message_id: str = "") -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = outbox_filename(message_id)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, self.folder / name)  # atomic: a reader never sees half a file
        return f"stored in outbox as {name}"

    def close(self) -> None:
        pass
