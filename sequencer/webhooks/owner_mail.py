"""Tell an endpoint's owner by email that it was switched off after five days of failing (once per disabling)."""
from __future__ import annotations

from contextlib import closing
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.accounts.locales import locale_for
from sequencer.mail.delivery import SendSettings
from sequencer.mail.transports import SendError, open_transport
from sequencer.models import Mailbox, User, WebhookEndpoint
from sequencer.platform import clock
from sequencer.platform.i18n import localized
from sequencer.texts import tr
from sequencer.webhooks.delivery import DISABLED_FOR_FAILING


def disabled_message(endpoint: WebhookEndpoint, owner: User, locale: str | None = None) -> tuple[bytes, str]:
    """The notice, in the owner's `locale`."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = msg["To"] = owner.email
    msg["Subject"] = localized(tr("A webhook was switched off after five days of failed deliveries"), locale)
    msg["Date"] = format_datetime(clock.now())
    msg["Message-ID"] = mid = make_msgid(f"webhook-{endpoint.id}", "sequencer.local")
    msg["Auto-Submitted"] = "auto-generated"
    greeting = localized(tr("Hi %(name)s,", name=owner.name or owner.email), locale)
    body = localized(tr("The webhook to %(url)s has failed every delivery for five days, so Sequencer switched "
                      "it off. Fix the receiver, then enable it again under Settings → Webhooks; failed deliveries "
                      "can be replayed from there.", url=endpoint.url), locale)
    msg.set_content(f"{greeting}\n\n{body}\n")
    return msg.as_bytes(), mid


def to_tell(session: Session) -> list[int]:
    """Endpoints disabled for failing five days whose owner has not been emailed yet."""
    return list(session.scalars(select(WebhookEndpoint.id).where(
        WebhookEndpoint.enabled.is_(False), WebhookEndpoint.disabled_reason == DISABLED_FOR_FAILING,
        WebhookEndpoint.owner_told_at.is_(None))))


def email_owner(session: Session, endpoint_id: int, settings: SendSettings) -> bool:
    """True when the email went out (through the owner's first mailbox, else the outbox); once per disabling."""
    endpoint = session.get(WebhookEndpoint, endpoint_id, populate_existing=True)
    owner = session.get(User, endpoint.owner_id) if endpoint and endpoint.owner_id else None
    if endpoint is None or owner is None or endpoint.enabled or endpoint.owner_told_at is not None:
        return False
    data, message_id = disabled_message(endpoint, owner, locale_for(session, owner))
    mailbox = session.scalars(select(Mailbox).where(Mailbox.owner_id == owner.id).order_by(Mailbox.id)).first()
    with closing(open_transport(mailbox, settings.secret_key, settings.outbox_dir)) as transport:
        try:
            transport.send(mailbox.email if mailbox else owner.email, owner.email, data, message_id)
        except SendError:
            return False
    endpoint.owner_told_at = settings.clock()
    session.commit()
    return True
