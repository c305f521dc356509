"""Bringing prospects into a sequence: who may be enrolled (and why not), from which mailbox, and their first step.

Every door (API, enrol page, CSV import, stale-deal re-engagement) comes through `enroll`, so the rules
hold everywhere; what happens after the first step is the state machine in `enrollment`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, joinedload

from sequencer.accounts.permissions import require_send_from, sending_mailbox_owner
from sequencer.accounts.workspace import get_workspace
from sequencer.calendar import Due
from sequencer.errors import Conflict, Invalid
from sequencer.models import (
    Enrollment,
    EnrollmentStatus,
    Event,
    Mailbox,
    Prospect,
    ProspectStatus,
    Sequence,
    SequenceStatus,
    StepRun,
    StepRunState,
    User,
)
from sequencer.models.mail import MailboxStatus
from sequencer.outreach.enrollment import LIVE, due_for, schedule_of, waiting_reason
from sequencer.outreach.pools import check_pool
from sequencer.outreach.suppression_lists import chunks, suppressed_among
from sequencer.sequences.experiments import Assigner
from sequencer.texts import tr


@dataclass
class EnrollResult:
    enrolled: list[tuple[int, int]] = field(default_factory=list)  # (enrollment id, prospect id)
    skipped: list[tuple[int, str]] = field(default_factory=list)   # (prospect id, reason)


def _default_mailboxes(session: Session, owner_ids: set[int], actor: User) -> dict[int | None, int]:
    """owner id -> their first active mailbox; None -> the actor's (the fallback).

    Only mailboxes the actor may send from: a rep's enrolments default to the rep's own mailbox, even for
    a teammate's prospect (the rule `check_sending_mailbox` applies to a chosen one)."""
    if sending_mailbox_owner(actor) is not None:
        owner_ids = set()
    rows = session.execute(select(Mailbox.owner_id, Mailbox.id).where(
        Mailbox.owner_id.in_(owner_ids | {actor.id}), Mailbox.status == MailboxStatus.ACTIVE)
        .order_by(Mailbox.id)).all()
    found: dict[int | None, int] = {}
    for owner_id, mailbox_id in rows:
        found.setdefault(owner_id, mailbox_id)
    if actor.id in found:
        found[None] = found[actor.id]
    return found


def sending_mailbox_for(session: Session, prospect: Prospect, actor: User) -> Mailbox | None:
    """The mailbox an enrolment of `prospect` by `actor` would send from (previews sign as its owner)."""
    found = _default_mailboxes(session, {prospect.owner_id} if prospect.owner_id else set(), actor)
    box = found.get(prospect.owner_id) or found.get(None)
    return session.get(Mailbox, box) if box else None


def enroll(session: Session, sequence: Sequence, prospect_ids: list[int], *, actor: User, now: datetime,
           mailbox_id: int | None = None, start_at: datetime | None = None,
           pool_id: int | None = None, alongside: bool = False) -> EnrollResult:
    """Enrol many prospects at once, reporting every skip with its reason; bulk queries and inserts.

    Every door (API, enrol page, import, forms) comes here, so the mailbox rule holds everywhere: a chosen
    mailbox must exist, be active (not paused) and, for a rep, be their own. `alongside`: a one-email
    transactional sequence (a form's welcome) that may run beside the prospect's other sequence.
    """
    result = EnrollResult()
    accepted, result.skipped = plan(session, sequence, prospect_ids, actor=actor, now=now, mailbox_id=mailbox_id,
                                    pool_id=pool_id, alongside=alongside)
    if accepted:
        _insert(session, sequence, accepted, actor, now, start_at, result, pool_id)
    return result


def plan(session: Session, sequence: Sequence, prospect_ids: list[int], *, actor: User, now: datetime,
         mailbox_id: int | None = None, pool_id: int | None = None,
         alongside: bool = False) -> tuple[list[tuple[Any, int | None]], list[tuple[int, str]]]:
    """Who would be enrolled (prospect row, mailbox id) and who not (prospect id, reason); nothing is written."""
    ordered = list(dict.fromkeys(prospect_ids))
    if sequence.status != SequenceStatus.ACTIVE:
        return [], [(pid, "sequence_not_active") for pid in ordered]
    if not sequence.steps:
        raise Conflict(tr("the sequence has no steps"))
    if mailbox_id is not None:
        check_sending_mailbox(session, mailbox_id, actor)
    elif pool_id is not None:  # the mailbox is picked when the first email falls due (outreach.pools)
        check_pool(session, pool_id, actor)
    found = _Candidates.load(session, ordered, sequence, now)
    mailboxes = {} if mailbox_id or pool_id else _default_mailboxes(
        session, {p.owner_id for p in found.prospects.values() if p.owner_id}, actor)
    accepted: list[tuple[Any, int | None]] = []
    skipped: list[tuple[int, str]] = []
    for pid in ordered:
        p = found.prospects.get(pid)
        box = mailbox_id or mailboxes.get(p.owner_id) or mailboxes.get(None) if p is not None else None
        reason = found.skip_reason(pid, sequence.id, alongside) or (None if box or pool_id else "no_mailbox")
        if reason:
            skipped.append((pid, reason))
        else:
            accepted.append((p, box))
    return accepted, skipped


def sendable_mailboxes(session: Session, actor: User) -> list[Mailbox]:
    """The active mailboxes `actor` may send from, for every door's choice list (enrol page, import mapping)."""
    stmt = select(Mailbox).where(Mailbox.status == MailboxStatus.ACTIVE).options(joinedload(Mailbox.owner)) \
        .order_by(Mailbox.email)
    owner = sending_mailbox_owner(actor)
    if owner is not None:
        stmt = stmt.where(Mailbox.owner_id == owner)
    return list(session.scalars(stmt))


def check_sending_mailbox(session: Session, mailbox_id: int, actor: User) -> Mailbox:
    """A mailbox enrolments may send from: it exists, it is not paused, and a rep's is their own."""
    mailbox = session.get(Mailbox, mailbox_id)
    if mailbox is None:
        raise Invalid.field("mailbox_id", tr("no such mailbox"))
    require_send_from(actor, mailbox)
    if mailbox.status != MailboxStatus.ACTIVE:
        if mailbox.paused_reason:
            raise Invalid.field("mailbox_id", tr("%(email)s is paused (%(why)s); resume it or choose another",
                                                 email=mailbox.email, why=mailbox.paused_reason))
        raise Invalid.field("mailbox_id", tr("%(email)s is paused; resume it or choose another", email=mailbox.email))
    return mailbox


@dataclass
class _Candidates:
    """What decides whether each prospect may be enrolled, read in a few chunked queries."""

    prospects: dict[int, Any]
    live: dict[int, set[int]]
    recent_here: set[int]
    suppressed: set[str]
    allow_multiple: bool

    @classmethod
    def load(cls, session: Session, ordered: list[int], sequence: Sequence, now: datetime) -> _Candidates:
        ws = get_workspace(session)
        cooldown_since = now - timedelta(days=ws.reenroll_cooldown_days)
        prospects: dict[int, Any] = {}
        live: dict[int, set[int]] = {}
        recent_here: set[int] = set()
        for part in chunks(ordered):
            for row in session.execute(select(Prospect.id, Prospect.email_normalized, Prospect.status,
                                              Prospect.timezone, Prospect.country, Prospect.owner_id,
                                              Prospect.persona_id).where(Prospect.id.in_(part))):
                prospects[row.id] = row
            for pid, sid, status, ended in session.execute(
                    select(Enrollment.prospect_id, Enrollment.sequence_id, Enrollment.status, Enrollment.ended_at)
                    .where(Enrollment.prospect_id.in_(part))):
                if status in LIVE:
                    live.setdefault(pid, set()).add(sid)
                elif sid == sequence.id and ended is not None and ended >= cooldown_since:
                    recent_here.add(pid)
        suppressed = suppressed_among(session, [p.email_normalized for p in prospects.values()])
        return cls(prospects, live, recent_here, set(suppressed), ws.allow_multiple_enrollments)

    def skip_reason(self, pid: int, sequence_id: int, alongside: bool = False) -> str | None:
        p = self.prospects.get(pid)
        if p is None:
            return "not_found"
        if p.status != ProspectStatus.ACTIVE:
            return p.status.value
        if p.email_normalized in self.suppressed:
            return "suppressed"
        if sequence_id in self.live.get(pid, ()):
            return "already_enrolled"
        if self.live.get(pid) and not self.allow_multiple and not alongside:
            return "active_in_other_sequence"
        if pid in self.recent_here:
            return "cooldown"
        return None


def _insert(session: Session, sequence: Sequence, accepted: list[tuple], actor: User, now: datetime,
            start_at: datetime | None, result: EnrollResult, pool_id: int | None = None) -> None:
    """The enrolments, their first step runs (variant and holdout assigned once) and `enrolled` events."""
    rows = session.execute(insert(Enrollment).returning(Enrollment.id, sort_by_parameter_order=True), [
        {"prospect_id": p.id, "sequence_id": sequence.id, "mailbox_id": box, "pool_id": pool_id,
         "enrolled_by_id": actor.id,
         "status": EnrollmentStatus.ACTIVE, "created_at": now} for p, box in accepted]).scalars().all()
    first = sequence.steps[0]
    schedule = schedule_of(sequence)
    start = max(start_at or now, now)
    dues: dict[tuple, Due] = {}
    runs, events = [], []
    assigner = Assigner(session, first)
    for enrollment_id, (p, box) in zip(rows, accepted, strict=True):
        key = (p.timezone, p.country)
        if key not in dues:
            dues[key] = due_for(first, start, schedule, p.timezone, p.country)
        due = dues[key]
        variant, holdout = assigner.pick(enrollment_id, p.persona_id)
        runs.append({"enrollment_id": enrollment_id, "step_id": first.id, "position": 1,
                     "variant_id": variant.id if variant else None, "holdout": holdout, "mailbox_id": box,
                     "state": StepRunState.SCHEDULED, "due_at": due.at, "why_waiting": waiting_reason(first, due, None),
                     "attempt": 0, "created_at": now})
        events.append({"kind": "enrolled", "occurred_at": now, "prospect_id": p.id,
                       "enrollment_id": enrollment_id, "sequence_id": sequence.id, "user_id": actor.id,
                       "payload": {}})
        result.enrolled.append((enrollment_id, p.id))
    session.execute(insert(StepRun), runs)
    session.execute(insert(Event), events)


