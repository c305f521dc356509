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


def yahoo_arf(sent_bytes: bytes, to: str = "ruta@kvitas-demo.com", number: int = 1) -> bytes:
    """Yahoo's abuse report (ARF, RFC 5965) about one of our sent emails, returned whole."""
    return (f"From: Yahoo! Mail AntiSpam Feedback <feedback@arf.mail.yahoo.test>\nTo: {to}\n"
            f"Subject: Abuse Report\nMessage-ID: <arf.{number}@yahoo.test>\nMIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=feedback-report; boundary=B\n\n--B\n"
            "Content-Type: text/plain\n\nThis is an email abuse report.\n--B\n"
            "Content-Type: message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: Yahoo!-Mail-Feedback/2.0\n"
            "Version: 1\n\n--B\nContent-Type: message/rfc822\n\n").encode() + sent_bytes + b"\n--B--\n"
