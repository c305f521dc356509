"""Mailbox pools: a rep's mailboxes share the sending. An enrolment on a pool gets its mailbox when its first
email falls due (the member with the most room today), and the rest of the thread stays on that mailbox."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import is_manager, sending_mailbox_owner
from sequencer.deliverability import warmup
from sequencer.deliverability.domains import gate_reason
from sequencer.errors import Forbidden, Invalid, NotFound
from sequencer.models import Enrollment, EnrollmentStatus, Mailbox, MailboxPool, StepRun, StepRunState, User
from sequencer.models.mail import MailboxStatus
from sequencer.models.sequences import Step, StepType
from sequencer.outreach.claims import _sent_today
from sequencer.platform import timezones
from sequencer.texts import tr

BATCH = 1000


def create_pool(session: Session, name: object, owner_id: int | None, actor: User) -> MailboxPool:
    text = str(name or "").strip()
    if not text or len(text) > 200:
        raise Invalid.field("name", tr("is required (at most 200 characters)"))
    if not is_manager(actor) and owner_id != actor.id:
        raise Forbidden(tr("reps create pools of their own mailboxes only"))
    if owner_id is not None and not (0 < owner_id < 2**31 and session.get(User, owner_id)):
        raise Invalid.field("owner_id", tr("no such user"))
    pool = MailboxPool(name=text, owner_id=owner_id)
    session.add(pool)
    session.flush()
    return pool


def check_pool(session: Session, pool_id: object, actor: User) -> MailboxPool:
    """A pool enrolments may use: it exists, has a member, and a rep's is their own (like a chosen mailbox)."""
    try:
        pool = session.get(MailboxPool, int(str(pool_id))) if 0 < int(str(pool_id)) < 2**31 else None
    except ValueError:
        pool = None
    if pool is None:
        raise Invalid.field("pool_id", tr("no such mailbox pool"))
    owner = sending_mailbox_owner(actor)
    if owner is not None and pool.owner_id != owner:
        raise Forbidden(tr("reps send from their own mailbox pool only"))
    if not members(session, pool.id):
        raise Invalid.field("pool_id", tr("the pool %(name)s has no mailboxes", name=pool.name))
    return pool


def get_pool(session: Session, pool_id: int) -> MailboxPool:
    pool = session.get(MailboxPool, pool_id)
    if pool is None:
        raise NotFound(tr("no such mailbox pool"))
    return pool


def members(session: Session, pool_id: int) -> list[Mailbox]:
    return list(session.scalars(select(Mailbox).where(Mailbox.pool_id == pool_id).order_by(Mailbox.id)))


def _room(session: Session, mailbox: Mailbox, now: datetime) -> tuple[int, str]:
    """(emails it may still send today, its state in words for why_waiting)."""
    if mailbox.status == MailboxStatus.PAUSED:
        return 0, f"{mailbox.email} paused"
    if gate_reason(session, mailbox):
        return 0, f"{mailbox.email} waiting for its DNS check"
    zone = mailbox.owner.timezone if mailbox.owner else "UTC"
    day_start = timezones.local_midnight(now, zone)
    used = _sent_today(session, mailbox.id, day_start.astimezone(now.tzinfo))
    limit = warmup.limit_for(mailbox, day_start.date())
    return max(0, limit - used), f"{mailbox.email} {warmup.limit_text(mailbox, day_start.date(), used)}"


def _due_unassigned(session: Session, now: datetime) -> list[tuple[int, int, int]]:
    """(run id, enrollment id, pool id) of due emails whose pool enrolment has no mailbox yet."""
    return [tuple(r) for r in session.execute(  # type: ignore[misc]
        select(StepRun.id, Enrollment.id, Enrollment.pool_id).join(Enrollment, Enrollment.id == StepRun.enrollment_id)
        .join(Step, Step.id == StepRun.step_id)
        .where(StepRun.state == StepRunState.SCHEDULED, StepRun.due_at <= now, StepRun.mailbox_id.is_(None),
               Enrollment.status == EnrollmentStatus.ACTIVE, Enrollment.pool_id.is_not(None),
               Enrollment.mailbox_id.is_(None), Step.type == StepType.AUTO_EMAIL)
        .order_by(StepRun.due_at, StepRun.id).limit(BATCH))]


def assign_due(session: Session, now: datetime) -> int:
    """Give each due pool enrolment the member with the most room today; returns how many were assigned."""
    due = _due_unassigned(session, now)
    rooms: dict[int, dict[int, tuple[int, str]]] = {}
    assigned = 0
    for run_id, enrollment_id, pool_id in due:
        if pool_id not in rooms:
            rooms[pool_id] = {m.id: _room(session, m, now) for m in members(session, pool_id)}
        pool_rooms = rooms[pool_id]
        best = max(pool_rooms, key=lambda mid: (pool_rooms[mid][0], -mid), default=None)
        if best is None or pool_rooms[best][0] <= 0:
            _waiting(session, run_id, pool_id, pool_rooms)
            continue
        room, words = pool_rooms[best]
        pool_rooms[best] = (room - 1, words)
        session.execute(update(Enrollment).where(Enrollment.id == enrollment_id, Enrollment.mailbox_id.is_(None))
                        .values(mailbox_id=best).execution_options(synchronize_session=False))
        session.execute(update(StepRun).where(and_(StepRun.enrollment_id == enrollment_id,
                                                   StepRun.mailbox_id.is_(None)))
                        .values(mailbox_id=best).execution_options(synchronize_session=False))
        assigned += 1
    return assigned


def _waiting(session: Session, run_id: int, pool_id: int, rooms: dict[int, tuple[int, str]]) -> None:
    pool = session.get(MailboxPool, pool_id)
    name = pool.name if pool else f"#{pool_id}"
    why = (f"mailbox pool {name}: no member has room today ({'; '.join(w for _, w in rooms.values())})"
           if rooms else f"mailbox pool {name} has no mailboxes")
    session.execute(update(StepRun).where(StepRun.id == run_id).values(why_waiting=why[:1000])
                    .execution_options(synchronize_session=False))


def serialize_pool(session: Session, pool: MailboxPool, now: datetime) -> dict:
    boxes = members(session, pool.id)
    return {"id": pool.id, "name": pool.name, "owner_id": pool.owner_id,
            "mailboxes": [{"id": m.id, "email": m.email, "room_today": _room(session, m, now)[0]} for m in boxes]}
