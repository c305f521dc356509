"""Small raw messages built in tests (the realistic ones live in corpus/)."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid


def reply(*, sender: str, in_reply_to: str | None = None, subject: str = "Re: Quick question", body: str,
          headers: dict[str, str] | None = None, message_id: str | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Rita Rep <rita@sequencer.test>"
    msg["Subject"] = subject
    msg["Date"] = "Fri, 11 Dec 2026 10:00:00 +0000"
    msg["Message-ID"] = message_id or make_msgid(domain="client.test")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()
