"""GDPR erasure: the person's data goes from everywhere we keep it, while a hash of the address stays
on the suppression list so no later import or form brings them back.

What goes: the prospect row (and with it enrolments, rendered step emails and tasks), the .eml
copies in the outbox folder, inbound messages from or about them (raw MIME included), import rows
that held the address, and any event payload that mentions it. What stays: events as anonymous counts (kind, sequence, step) so reports
still add up.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import String, cast, delete, func, or_, select, update
from sqlalchemy.orm import Session

from sequencer.models import (
    Activity,
    Enrollment,
    Event,
    ImportRowIssue,
    InboundMessage,
    Prospect,
    ScoreEntry,
    StepRun,
    Suppression,
    User,
)
from sequencer.models.crm import SuppressionKind
from sequencer.outreach.suppression_lists import email_hash
from sequencer.people.suppression.admin import _insert
from sequencer.platform.db import rowcount
from sequencer.platform.outbox import outbox_filename

ERASED = {"erased": True}


def _outbox_files(session: Session, prospect: Prospect, outbox_dir: str | None) -> list[Path]:
    if not outbox_dir:
        return []
    ids = session.scalars(select(StepRun.message_id).join(Enrollment, Enrollment.id == StepRun.enrollment_id)
                          .where(Enrollment.prospect_id == prospect.id, StepRun.message_id.is_not(None)))
    return [Path(outbox_dir) / outbox_filename(m) for m in ids if m is not None]  # none are, as queried


def erase_prospect(session: Session, prospect: Prospect, actor: User, now: datetime,
                   outbox_dir: str | None = None) -> dict:
    """Erase everything about the prospect; `outbox_dir` also removes the .eml copies of what we sent."""
    email = prospect.email_normalized
    sent_files = _outbox_files(session, prospect, outbox_dir)
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
    scrubbed = rowcount(session.execute(update(Event).where(Event.prospect_id == prospect.id)
                                        .values(prospect_id=None, payload=ERASED)))
    mentions = list(session.scalars(select(Event.id).where(
        func.lower(cast(Event.payload, String)).contains(email, autoescape=True))))
    if mentions:
        session.execute(update(Event).where(Event.id.in_(mentions)).values(payload=ERASED))
    issues = rowcount(session.execute(delete(ImportRowIssue).where(
        func.lower(ImportRowIssue.raw).contains(email, autoescape=True))))
    session.execute(delete(ScoreEntry).where(ScoreEntry.prospect_id == prospect.id))
    session.execute(delete(Activity).where(or_(Activity.prospect_id == prospect.id, Activity.email == email)))
    session.delete(prospect)
    session.add(Event(kind="erased", occurred_at=now, user_id=actor.id, payload={"email_hash": hashed}))
    session.flush()
    for path in sent_files:  # after the rows are gone (a failure above leaves the files in place)
        path.unlink(missing_ok=True)
    return {"inbound_messages": len(inbound_ids), "events": scrubbed + len(mentions), "import_rows": issues,
            "outbox_files": len(sent_files)}
