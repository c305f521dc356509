"""Stopping contact for good: unsubscribes, hard bounces and spam complaints take effect at once, everywhere."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sequencer.models import Enrollment, Event, Prospect, ProspectStatus, Suppression
from sequencer.models.crm import SuppressionKind
from sequencer.outreach.enrollment import LIVE, exit_enrollment


def suppress_email(session: Session, email: str, reason: str, now: datetime) -> None:
    """Add the address to the suppression list (idempotent, also under concurrency)."""
    values = {"kind": SuppressionKind.EMAIL.value, "value": email.strip().lower(), "reason": reason,
              "created_at": now}
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(Suppression).values(**values).on_conflict_do_nothing(
        index_elements=["kind", "value"]))


def _stop(session: Session, prospect: Prospect, status: ProspectStatus, reason: str, now: datetime,
          payload: dict, step_run, inbound_message_id: int | None) -> None:
    prospect.status = status
    suppress_email(session, prospect.email_normalized, reason, now)
    live = session.scalars(select(Enrollment).where(Enrollment.prospect_id == prospect.id,
                                                    Enrollment.status.in_(LIVE))).all()
    for enrollment in live:
        exit_enrollment(session, enrollment, now, reason, inbound_message_id)
    sequence_id = live[0].sequence_id if live else None
    if step_run is not None:
        sequence_id = step_run.enrollment.sequence_id
    session.add(Event(kind=reason, occurred_at=now, prospect_id=prospect.id,
                      step_run_id=step_run.id if step_run else None,
                      variant_id=step_run.variant_id if step_run else None,
                      step_id=step_run.step_id if step_run else None, sequence_id=sequence_id,
                      enrollment_id=step_run.enrollment_id if step_run else (live[0].id if live else None),
                      mailbox_id=step_run.mailbox_id if step_run else None,
                      inbound_message_id=inbound_message_id, payload=payload))
    session.flush()


def unsubscribe(session: Session, prospect: Prospect, now: datetime, source: str, step_run=None,
                inbound_message_id: int | None = None) -> bool:
    """Unsubscribe the prospect; False when they already were, or complained (a stronger stop that is kept)."""
    if prospect.status in (ProspectStatus.UNSUBSCRIBED, ProspectStatus.COMPLAINED):
        return False
    _stop(session, prospect, ProspectStatus.UNSUBSCRIBED, "unsubscribed", now, {"source": source},
          step_run, inbound_message_id)
    return True


def hard_bounce(session: Session, prospect: Prospect, now: datetime, detail: str, step_run=None,
                inbound_message_id: int | None = None, **payload) -> None:
    """The address does not exist: bounced, suppressed, every enrolment exited."""
    _stop(session, prospect, ProspectStatus.BOUNCED, "bounced", now, {"detail": detail, "hard": True, **payload},
          step_run, inbound_message_id)


def complaint(session: Session, prospect: Prospect, now: datetime, step_run=None,
              inbound_message_id: int | None = None, **payload) -> bool:
    """They reported our email as spam: complained, suppressed, every enrolment exited; False when already."""
    if prospect.status == ProspectStatus.COMPLAINED:
        return False
    _stop(session, prospect, ProspectStatus.COMPLAINED, "complained", now, payload, step_run, inbound_message_id)
    return True
