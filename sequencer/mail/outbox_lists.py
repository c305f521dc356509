"""The Outbox's two lists: what went out (each message's opens, clicks, replies and bounces; searchable) and what
goes out next (from which mailbox, when, and the dispatcher's own reason it still waits); and reps' one-off emails
with their state."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload

from sequencer.errors import Invalid
from sequencer.models import Enrollment, Event, Mailbox, OneOffEmail, Prospect, Step, StepRun, StepRunState
from sequencer.models.enrollments import EnrollmentStatus
from sequencer.models.sequences import StepType
from sequencer.texts import tr

STATUSES = ("opened", "clicked", "replied", "bounced", "no_response")
SENT_SORTS = {"sent": (StepRun.sent_at,), "subject": (func.lower(StepRun.subject),),
              "recipient": (func.lower(Prospect.last_name), func.lower(Prospect.first_name)),
              "mailbox": (Mailbox.email,)}
SCHEDULED_SORTS = {"due": (StepRun.due_at,), "recipient": SENT_SORTS["recipient"], "mailbox": (Mailbox.email,)}
TIEBREAK = (StepRun.id.desc(),)
ONE_OFF_SORTS = {"created": (OneOffEmail.created_at,), "subject": (func.lower(OneOffEmail.subject),),
                 "recipient": SENT_SORTS["recipient"], "mailbox": (Mailbox.email,), "state": (OneOffEmail.state,)}


@dataclass
class OutboxQuery:
    q: str = ""
    status: str = ""  # one of STATUSES, or everything
    owner_id: int | None = None  # set for a rep: mail to their prospects or from their mailboxes only

    def __post_init__(self) -> None:
        self.q = self.q.strip()[:200]
        if self.status and self.status not in STATUSES:
            raise Invalid.of([{"field": "status", "message": tr("must be one of %(values)s", values=", ".join(STATUSES))}])


def _had(kind: str):
    return exists(select(Event.id).where(Event.step_run_id == StepRun.id, Event.kind == kind))


def _visible(stmt: Select, query: OutboxQuery, mailbox_on) -> Select:
    stmt = (stmt.join(Enrollment, Enrollment.id == StepRun.enrollment_id)
            .join(Prospect, Prospect.id == Enrollment.prospect_id)
            .outerjoin(Mailbox, Mailbox.id == mailbox_on))
    if query.owner_id is not None:
        stmt = stmt.where(or_(Prospect.owner_id == query.owner_id, Mailbox.owner_id == query.owner_id))
    if query.q:
        needle = query.q.lower()
        name = func.lower(Prospect.first_name + " " + Prospect.last_name)
        stmt = stmt.where(or_(*(c.contains(needle, autoescape=True) for c in (
            name, Prospect.email_normalized, func.lower(func.coalesce(StepRun.subject, ""))))))
    return stmt


def sent_query(query: OutboxQuery) -> Select:
    """(StepRun, mailbox email) rows of sent messages with a stored subject, newest first (add `loaded`)."""
    stmt = _visible(select(StepRun, Mailbox.email), query, StepRun.mailbox_id).where(
        StepRun.state == StepRunState.SENT, StepRun.subject.is_not(None))
    if query.status == "no_response":
        stmt = stmt.where(~_had("opened"), ~_had("clicked"), ~_had("replied"), ~_had("bounced"))
    elif query.status:
        stmt = stmt.where(_had(query.status))
    return stmt.order_by(StepRun.sent_at.desc(), *TIEBREAK)


def scheduled_query(query: OutboxQuery) -> Select:
    """(StepRun, mailbox email) of automatic emails still to go out (active enrolments) or held, soonest first.
    The mailbox is the one claimed for the run, else the enrolment's."""
    mailbox_on = func.coalesce(StepRun.mailbox_id, Enrollment.mailbox_id)
    stmt = (_visible(select(StepRun, Mailbox.email), query, mailbox_on)
            .join(Step, Step.id == StepRun.step_id)
            .where(Step.type == StepType.AUTO_EMAIL, StepRun.holdout.is_(False),
                   or_(StepRun.state == StepRunState.HELD,
                       (StepRun.state == StepRunState.SCHEDULED) & (Enrollment.status == EnrollmentStatus.ACTIVE))))
    return stmt.order_by(StepRun.due_at, StepRun.id)


def loaded(stmt: Select) -> Select:
    """The prospect and sequence each row shows, loaded with the page."""
    return stmt.options(joinedload(StepRun.enrollment).joinedload(Enrollment.prospect),
                        joinedload(StepRun.enrollment).joinedload(Enrollment.sequence))


def statuses(session: Session, run_ids: list[int]) -> dict[int, list[str]]:
    """run id -> the engagement it got, in STATUSES order (one query over the page's runs)."""
    found: dict[int, set[str]] = {i: set() for i in run_ids}
    if run_ids:
        for run_id, kind in session.execute(
                select(Event.step_run_id, Event.kind).where(Event.step_run_id.in_(run_ids),
                                                            Event.kind.in_(STATUSES)).distinct()):
            if run_id is not None:
                found[run_id].add(kind)
    return {i: [k for k in STATUSES if k in kinds] for i, kinds in found.items()}


def one_off_query(query: OutboxQuery) -> Select:
    """(OneOffEmail, mailbox email) rows, newest first: every state, so a failed or uncertain one is seen.
    A rep sees the ones they wrote, from their mailboxes, or to their prospects."""
    stmt = (select(OneOffEmail, Mailbox.email).join(Prospect, Prospect.id == OneOffEmail.prospect_id)
            .outerjoin(Mailbox, Mailbox.id == OneOffEmail.mailbox_id))
    if query.owner_id is not None:
        stmt = stmt.where(or_(OneOffEmail.user_id == query.owner_id, Prospect.owner_id == query.owner_id,
                              Mailbox.owner_id == query.owner_id))
    if query.q:
        needle = query.q.lower()
        name = func.lower(Prospect.first_name + " " + Prospect.last_name)
        stmt = stmt.where(or_(*(c.contains(needle, autoescape=True) for c in (
            name, Prospect.email_normalized, func.lower(OneOffEmail.subject)))))
    return stmt.order_by(OneOffEmail.created_at.desc(), OneOffEmail.id.desc())


def one_off_loaded(stmt: Select) -> Select:
    return stmt.options(joinedload(OneOffEmail.prospect), joinedload(OneOffEmail.user))
