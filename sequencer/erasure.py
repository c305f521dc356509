"""GDPR erasure: the person's data goes from everywhere we keep it, while a hash of the address stays
on the suppression list so no later import or form brings them back.

What goes: the prospect row (and with it enrolments, rendered step emails and tasks), inbound
messages from or about them (raw MIME included), import rows that held the address, and any event
payload that mentions it. What stays: events as anonymous counts (kind, sequence, step) so reports
still add up.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, cast, delete, func, or_, select, update
from sqlalchemy.orm import Session

from sequencer.models import Event, ImportRowIssue, InboundMessage, Prospect, Suppression, User
from sequencer.models.crm import SuppressionKind
from sequencer.suppression_admin import _insert
from sequencer.suppression_list import email_hash

ERASED = {"erased": True}


def erase_prospect(session: Session, prospect: Prospect, actor: User, now: datetime) -> dict:
    email = prospect.email_normalized
    hashed = email_hash(email)
    session.execute(_insert(session)(Suppression).values(
        kind=SuppressionKind.EMAIL_HASH.value, value=hashed, reason="erased", created_at=now)
        .on_conflict_do_nothing(index_elements=["kind", "value"]))
    session.execute(delete(Suppression).where(Suppression.kind == SuppressionKind.EMAIL,
                                              Suppression.value == email))
    inbound_ids = list(session.scalars(select(InboundMessage.id).where(or_(
        InboundMessage.prospect_id == prospect.id, func.lower(InboundMessage.from_address) == email))))
    if inbound_ids:
        session.execute(update(Event).where(Event.inbound_message_id.in_(inbound_ids))
                        .values(inbound_message_id=None))
        session.execute(delete(InboundMessage).where(InboundMessage.id.in_(inbound_ids)))
    scrubbed = session.execute(update(Event).where(Event.prospect_id == prospect.id)
                               .values(prospect_id=None, payload=ERASED)).rowcount
    mentions = list(session.scalars(select(Event.id).where(
        func.lower(cast(Event.payload, String)).contains(email, autoescape=True))))
    if mentions:
        session.execute(update(Event).where(Event.id.in_(mentions)).values(payload=ERASED))
    issues = session.execute(delete(ImportRowIssue).where(
        func.lower(ImportRowIssue.raw).contains(email, autoescape=True))).rowcount
    session.delete(prospect)
    session.add(Event(kind="erased", occurred_at=now, user_id=actor.id, payload={"email_hash": hashed}))
    session.flush()
    return {"inbound_messages": len(inbound_ids), "events": scrubbed + len(mentions), "import_rows": issues}
