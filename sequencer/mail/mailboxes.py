"""Sending mailboxes: validated settings, the encrypted SMTP password, and the "send a test email" check."""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import may_see_mailbox_connection
from sequencer.accounts.users import normalize_email
from sequencer.deliverability import mailbox_settings
from sequencer.errors import Duplicate, Invalid
from sequencer.inbound.imap_settings import apply_imap_input, serialize_imap
from sequencer.mailauth import xoauth2
from sequencer.models import Mailbox, User
from sequencer.models.mail import MailboxAuth, SmtpSecurity, Transport
from sequencer.platform import clock
from sequencer.platform.i18n import localized
from sequencer.platform.security import SecretBox
from sequencer.texts import tr

# the columns' lengths (passwords: what any server accepts), checked before anything reaches the database
MAX_LENGTHS = {"name": 200, "smtp_host": 255, "smtp_username": 320, "smtp_password": 1024,
               "imap_host": 255, "imap_username": 320, "imap_password": 1024}
EDITABLE = ("name", "transport", "smtp_host", "smtp_port", "smtp_username", "smtp_security",
            "daily_limit", "min_interval_seconds", "domain_daily_limit", "owner_id")


def _int_field(data: dict, field: str, low: int, high: int) -> int | None:
    value = data.get(field)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Invalid.field(field, tr("must be a whole number")) from None
    if not low <= number <= high:
        raise Invalid.field(field, tr("must be between %(low)s and %(high)s", low=low, high=high))
    return number


def clean_mailbox_input(session: Session, data: dict, partial: bool = False) -> dict:
    """Validate API/form input into column values; raises `Invalid` naming the field."""
    for name, limit in MAX_LENGTHS.items():
        value = data.get(name)
        if value is not None and len(str(value)) > limit:
            raise Invalid.field(name, tr("must be at most %(limit)s characters", limit=limit))
    out: dict = {}
    if "email" in data or not partial:
        out["email"] = normalize_email(data.get("email") or "")
    if "name" in data:
        out["name"] = (data.get("name") or "").strip()
    if "transport" in data or not partial:
        try:
            out["transport"] = Transport(data.get("transport") or "outbox")
        except ValueError:
            raise Invalid.field("transport", tr("must be smtp or outbox")) from None
    if "auth" in data and data["auth"] not in (None, MailboxAuth.PASSWORD.value):
        raise Invalid.field("auth", tr("OAuth mailboxes are connected in Settings → Mailboxes (Connect Google/Microsoft)"))
    if "smtp_security" in data:
        try:
            out["smtp_security"] = SmtpSecurity(data["smtp_security"])
        except ValueError:
            raise Invalid.field("smtp_security", tr("must be none, starttls or tls")) from None
    elif "smtp_starttls" in data:  # the API.md spelling
        out["smtp_security"] = SmtpSecurity.STARTTLS if data["smtp_starttls"] else SmtpSecurity.NONE
    for field in ("smtp_host", "smtp_username"):
        if field in data:
            out[field] = (data.get(field) or "").strip() or None
    if "smtp_port" in data:
        out["smtp_port"] = _int_field(data, "smtp_port", 1, 65535)
    for field, low, high in (("daily_limit", 1, 100_000), ("min_interval_seconds", 0, 86_400),
                             ("domain_daily_limit", 1, 100_000)):
        if field in data:
            value = _int_field(data, field, low, high)
            if value is not None or field == "domain_daily_limit":
                out[field] = value
    if "owner_id" in data and data["owner_id"] not in (None, ""):
        owner = session.get(User, _int_field(data, "owner_id", 1, 2**31))
        if owner is None:
            raise Invalid.field("owner_id", tr("no such user"))
        out["owner_id"] = owner.id
    out.update(mailbox_settings.clean_input(session, data, clock.now().date()))
    transport = out.get("transport")
    if transport == Transport.SMTP and not (out.get("smtp_host") or (partial and "smtp_host" not in data)):
        raise Invalid.field("smtp_host", tr("is required for the smtp transport"))
    return out


def create_mailbox(session: Session, data: dict, secrets: SecretBox) -> Mailbox:
    values = clean_mailbox_input(session, data)
    existing = session.scalars(select(Mailbox).where(Mailbox.email == values["email"])).first()
    if existing is not None:
        raise Duplicate(f"a mailbox for {values['email']} exists", existing_id=existing.id)
    mailbox = Mailbox(**values)
    mailbox_settings.start_new(mailbox, data, clock.now().date())
    apply_imap_input(mailbox, data, secrets)
    if mailbox.transport == Transport.SMTP and not mailbox.smtp_port:
        mailbox.smtp_port = 465 if mailbox.smtp_security == SmtpSecurity.TLS else 587
    if data.get("smtp_password"):
        mailbox.smtp_password_encrypted = secrets.encrypt(str(data["smtp_password"]))
    session.add(mailbox)
    session.flush()
    return mailbox


def update_mailbox(session: Session, mailbox: Mailbox, data: dict, secrets: SecretBox) -> Mailbox:
    values = clean_mailbox_input(session, data, partial=True)
    values.pop("email", None) if values.get("email") == mailbox.email else None
    for key, value in values.items():
        setattr(mailbox, key, value)
    if data.get("smtp_password"):  # an empty password field keeps the stored one
        mailbox.smtp_password_encrypted = secrets.encrypt(str(data["smtp_password"]))
    apply_imap_input(mailbox, data, secrets)
    if mailbox.transport == Transport.SMTP and not mailbox.smtp_host:
        raise Invalid.field("smtp_host", tr("is required for the smtp transport"))
    session.flush()
    return mailbox


CONNECTION_FIELDS = ("smtp_host", "smtp_port", "smtp_username", "imap_host", "imap_port", "imap_username",
                     "imap_error")


def visible_to(user: User, mailbox: Mailbox, data: dict) -> dict:
    """A serialized mailbox as `user` may see it: without connection details they may not see."""
    if may_see_mailbox_connection(user, mailbox):
        return data
    return {**data, **dict.fromkeys(CONNECTION_FIELDS), "imap_folders": []}


def serialize_mailbox(mailbox: Mailbox) -> dict:
    """The API view of a mailbox: never the password, only whether one is set."""
    return {
        "id": mailbox.id, "email": mailbox.email, "name": mailbox.name,
        "transport": mailbox.transport.value, "smtp_host": mailbox.smtp_host,
        "smtp_port": mailbox.smtp_port, "smtp_username": mailbox.smtp_username,
        "smtp_security": mailbox.smtp_security.value,
        "smtp_starttls": mailbox.smtp_security == SmtpSecurity.STARTTLS,
        "smtp_password_set": bool(mailbox.smtp_password_encrypted),
        "daily_limit": mailbox.daily_limit, "min_interval_seconds": mailbox.min_interval_seconds,
        "domain_daily_limit": mailbox.domain_daily_limit, "owner_id": mailbox.owner_id,
        "status": mailbox.status.value, "paused_reason": mailbox.paused_reason, **serialize_imap(mailbox),
        "auth": mailbox.auth.value, "reconnect_needed": bool(mailbox.oauth_reconnect_reason),
        **mailbox_settings.serialize(mailbox, clock.now().date()),
    }


@dataclass
class TestResult:
    ok: bool
    message: str


def smtp_connection(mailbox: Mailbox, secrets: SecretBox, timeout: float = 15) -> smtplib.SMTP:
    """An authenticated SMTP connection for this mailbox (plain, STARTTLS or implicit TLS)."""
    # loading the CA bundle costs ~10 ms: only for the connections that use TLS
    context = ssl.create_default_context() if mailbox.smtp_security != SmtpSecurity.NONE else None
    if mailbox.smtp_security == SmtpSecurity.TLS:
        conn: smtplib.SMTP = smtplib.SMTP_SSL(mailbox.smtp_host or "", mailbox.smtp_port or 465,
                                             timeout=timeout, context=context)
    else:
        conn = smtplib.SMTP(mailbox.smtp_host or "", mailbox.smtp_port or 587, timeout=timeout)
        conn.ehlo()
        if mailbox.smtp_security == SmtpSecurity.STARTTLS:
            conn.starttls(context=context)
            conn.ehlo()
    if mailbox.auth != MailboxAuth.PASSWORD:
        xoauth2.smtp_login(conn, mailbox, secrets)
    elif mailbox.smtp_username:
        password = secrets.decrypt(mailbox.smtp_password_encrypted) if mailbox.smtp_password_encrypted else ""
        conn.login(mailbox.smtp_username, password)
    return conn


def send_test_email(mailbox: Mailbox, to: str, secrets: SecretBox, locale: str | None = None) -> TestResult:
    """Send one test message (in the recipient's `locale`) and report exactly what the SMTP server answered."""
    if mailbox.transport != Transport.SMTP:
        return TestResult(True, tr("This mailbox uses the outbox transport: messages are stored, not sent."))
    msg = EmailMessage()
    msg["From"] = formataddr((mailbox.name or "", mailbox.email))
    msg["To"] = to
    msg["Subject"] = localized(tr("Sequencer test email"), locale)
    msg["Message-ID"] = make_msgid(domain=mailbox.email.split("@")[-1])
    msg.set_content(localized(tr("This is a test from Sequencer, sent %(when)s UTC.",
                               when=f"{clock.now():%Y-%m-%d %H:%M}"), locale))
    try:
        with smtp_connection(mailbox, secrets) as conn:
            code, answer = conn.mail(mailbox.email)
            if code == 250:
                code, answer = conn.rcpt(to)
            if code in (250, 251):
                code, answer = conn.data(msg.as_bytes())
    except smtplib.SMTPResponseException as exc:
        error = exc.smtp_error
        return TestResult(False, f"{exc.smtp_code} {error.decode(errors='replace') if isinstance(error, bytes) else error}")
    except (TimeoutError, OSError, smtplib.SMTPException, ssl.SSLError) as exc:
        return TestResult(False, tr("could not talk to %(server)s: %(error)s",
                                     server=f"{mailbox.smtp_host}:{mailbox.smtp_port}", error=str(exc)))
    except ValueError as exc:
        return TestResult(False, str(exc))
    reply = f"{code} {answer.decode(errors='replace')}"
    if code != 250:
        return TestResult(False, tr("refused by %(host)s: %(reply)s", host=mailbox.smtp_host, reply=reply))
    return TestResult(True, tr("accepted by %(host)s: %(reply)s", host=mailbox.smtp_host, reply=reply))
