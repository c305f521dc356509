"""An admin's answers to the sending pipeline's open questions: uncertain and failed sends, paused mailboxes.

Every change is a conditional update on the state it expects, so two admins clicking at once can't
both act: the second one gets a `Conflict` saying what happened instead.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from sequencer.errors import Conflict
from sequencer.models import Event, Mailbox, ProspectStatus, StepRun, StepRunState, User
from sequencer.models.mail import MailboxStatus
from sequencer.outreach.enrollment import LIVE, step_done
from sequencer.platform.db import rowcount
from sequencer.texts import tr

MARKABLE = (StepRunState.UNCERTAIN,)
RETRYABLE = (StepRunState.UNCERTAIN, StepRunState.FAILED)
MARK_SENT, SEND_AGAIN = tr("mark it sent"), tr("send it again")


def _check(run: StepRun, allowed: tuple[StepRunState, ...], action: str) -> None:
    """Refuse, saying why, unless the run is in one of `allowed` states and its enrolment still runs."""
    if run.state not in allowed:
        wanted = " or ".join(s.value for s in allowed)
        raise Conflict(tr("can't %(action)s: the message is %(state)s, not %(wanted)s", action=action,
                          state=run.state.value, wanted=wanted))
    enrollment = run.enrollment
    if enrollment.status not in LIVE:
        why = f" ({enrollment.exit_reason})" if enrollment.exit_reason else ""
        raise Conflict(tr("can't %(action)s: the enrolment is %(status)s%(why)s", action=action,
                          status=enrollment.status.value, why=why))


def _won(session: Session, run: StepRun, allowed: tuple[StepRunState, ...], action: str, **values) -> None:
    """Apply `values` only if the run is still in `allowed`; otherwise someone else got there first."""
    done = rowcount(session.execute(update(StepRun).where(StepRun.id == run.id, StepRun.state.in_(allowed))
                                    .values(**values).execution_options(synchronize_session=False)))
    session.refresh(run)  # reload what was written (SQLAlchemy's "fetch" sync skips some typed columns)
    if not done:
        raise Conflict(tr("can't %(action)s: someone else already handled it (it is now %(state)s)", action=action,
                          state=run.state.value))


def _event(run: StepRun, kind: str, actor: User, now: datetime, payload: dict) -> Event:
    enrollment = run.enrollment
    return Event(kind=kind, occurred_at=now, prospect_id=enrollment.prospect_id, enrollment_id=enrollment.id,
                 sequence_id=enrollment.sequence_id, step_id=run.step_id, step_run_id=run.id,
                 variant_id=run.variant_id, mailbox_id=run.mailbox_id, user_id=actor.id, payload=payload)


def mark_sent(session: Session, run: StepRun, actor: User, now: datetime, *, content=None) -> StepRun | None:
    """The admin checked: the prospect got it. Record it as sent and move the sequence on.

    `content` (a `compose.Composed`, optional) stores the subject, bodies and Message-ID, so the
    message shows in the Outbox and the next step can thread under it. Returns the next step run.
    """
    _check(run, MARKABLE, MARK_SENT)
    values = {"state": StepRunState.SENT, "sent_at": run.send_started_at or now, "done_at": now, "claimed_by": None,
              "lease_until": None, "why_waiting": None, "error": None}
    if content is not None and not content.missing:
        values.update(subject=content.subject, body_html=content.body_html, body_text=content.body_text,
                      message_id=content.message_id)
    _won(session, run, MARKABLE, MARK_SENT, **values)
    session.add(_event(run, "sent", actor, now, {"confirmed_by": actor.id}))
    return step_done(session, run, now, state=StepRunState.SENT)


def send_again(session: Session, run: StepRun, actor: User, now: datetime) -> StepRun:
    """Queue the message again, due now; the dispatcher sends it at the mailbox's next slot."""
    _check(run, RETRYABLE, SEND_AGAIN)
    prospect = run.enrollment.prospect
    if prospect.status != ProspectStatus.ACTIVE:
        raise Conflict(tr("can't send it again: the prospect is %(status)s", status=prospect.status.value))
    previous = run.state
    _won(session, run, RETRYABLE, SEND_AGAIN, state=StepRunState.SCHEDULED, due_at=now, send_started_at=None,
         claimed_by=None, lease_until=None, error=None, attempt=0, done_at=None,
         why_waiting=f"queued again by {actor.name or actor.email}")
    session.add(_event(run, "send_retried", actor, now, {"previous_state": previous.value, "by": actor.id}))
    session.flush()
    return run


def resume_mailbox(session: Session, mailbox: Mailbox, actor: User, now: datetime) -> Mailbox:
    """Let a paused mailbox send again; its waiting messages go at its next slot."""
    done = rowcount(session.execute(update(Mailbox).where(Mailbox.id == mailbox.id, Mailbox.status == MailboxStatus.PAUSED)
                                    .values(status=MailboxStatus.ACTIVE, paused_reason=None, consecutive_failures=0)
                                    .execution_options(synchronize_session=False)))
    session.refresh(mailbox)
    if not done:
        raise Conflict(tr("the mailbox %(email)s is not paused", email=mailbox.email))
    session.execute(update(StepRun).where(StepRun.mailbox_id == mailbox.id, StepRun.state == StepRunState.SCHEDULED,
                                          StepRun.why_waiting.like("mailbox paused%"))
                    .values(why_waiting=None).execution_options(synchronize_session=False))
    session.add(Event(kind="mailbox_resumed", occurred_at=now, mailbox_id=mailbox.id, user_id=actor.id,
                      payload={"by": actor.id}))
    session.flush()
    return mailbox
