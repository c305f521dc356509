"""Connecting a Google or Microsoft mailbox: the form checked before the consent page, then the mailbox
created (provider presets) or reconnected with its grant, and its paused sending resumed."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import is_admin, require_reconnect_mailbox
from sequencer.accounts.users import normalize_email
from sequencer.errors import Duplicate, Forbidden, Invalid
from sequencer.mail.mailboxes import MAX_LENGTHS, create_mailbox
from sequencer.mail.send_review import resume_mailbox
from sequencer.mailauth.providers import Provider, for_auth
from sequencer.mailauth.tokens import RECONNECT_PREFIX, clear_reconnect, store_grant
from sequencer.models import Mailbox, User
from sequencer.models.mail import MailboxStatus, SmtpSecurity, Transport
from sequencer.texts import tr


def clean_connect_input(session: Session, actor: User, data: dict) -> dict:
    """A new OAuth mailbox's email, name and owner, checked before the admin leaves for the consent page."""
    if not is_admin(actor):
        raise Forbidden(tr("only admins add mailboxes"))
    email = normalize_email(str(data.get("email") or ""))
    name = str(data.get("name") or "").strip()
    if len(name) > MAX_LENGTHS["name"]:
        raise Invalid.field("name", tr("must be at most %(limit)s characters", limit=MAX_LENGTHS["name"]))
    owner_id = None
    if str(data.get("owner_id") or "").strip():
        try:
            owner = session.get(User, int(str(data["owner_id"])))
        except (TypeError, ValueError, OverflowError):
            owner = None
        if owner is None:
            raise Invalid.field("owner_id", tr("no such user"))
        owner_id = owner.id
    existing = session.scalars(select(Mailbox).where(Mailbox.email == email)).first()
    if existing is not None:
        raise Duplicate(f"a mailbox for {email} exists: use its Reconnect button", existing_id=existing.id)
    return {"email": email, "name": name, "owner_id": owner_id}


def reconnect_target(session: Session, actor: User, mailbox_id: int) -> Mailbox:
    """The OAuth mailbox `actor` wants to sign in to again."""
    mailbox = session.get(Mailbox, mailbox_id)
    if mailbox is None or for_auth(mailbox.auth) is None:
        raise Invalid.field("mailbox_id", tr("no such OAuth mailbox"))
    require_reconnect_mailbox(actor, mailbox)
    return mailbox


def _create(session: Session, provider: Provider, values: dict, secrets) -> Mailbox:
    mailbox = create_mailbox(session, {
        **values, "transport": Transport.SMTP.value, "smtp_host": provider.smtp_host, "smtp_port": provider.smtp_port,
        "smtp_security": SmtpSecurity.STARTTLS.value, "smtp_username": values["email"],
        "imap_host": provider.imap_host, "imap_port": provider.imap_port, "imap_security": SmtpSecurity.TLS.value,
        "imap_username": values["email"]}, secrets)
    mailbox.auth = provider.auth
    return mailbox


def connect(session: Session, provider: Provider, flow: dict, token: dict, secrets, actor: User,
            now: datetime) -> Mailbox:
    """Store the grant on a new mailbox (flow has email/name/owner_id) or the one being reconnected (mailbox_id)."""
    if flow.get("mailbox_id"):
        mailbox = reconnect_target(session, actor, int(flow["mailbox_id"]))
        if mailbox.auth != provider.auth:
            raise Invalid.field("provider", tr("%(email)s is connected through another provider", email=mailbox.email))
    else:
        mailbox = _create(session, provider, clean_connect_input(session, actor, flow), secrets)
    store_grant(mailbox, token, secrets, now)
    if mailbox.oauth_reconnect_reason:
        clear_reconnect(session, mailbox, now)
    if mailbox.status == MailboxStatus.PAUSED and (mailbox.paused_reason or "").startswith(RECONNECT_PREFIX):
        resume_mailbox(session, mailbox, actor, now)  # its queued emails go at its next slot
    session.flush()
    return mailbox
