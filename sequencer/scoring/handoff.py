"""Sales-ready: crossing the threshold hands the prospect to its owner once per crossing, however many
workers score it at once (a conditional UPDATE wins the crossing, the task's dedupe key refuses a second)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sequencer.errors import DomainError
from sequencer.models import Enrollment, EnrollmentStatus, Event, Prospect, ScoreEntry, Sequence, Task, User
from sequencer.models.tasks import TaskStatus, TaskType
from sequencer.outreach.enrol import enroll
from sequencer.outreach.enrollment import exit_enrollment
from sequencer.platform.db import rowcount
from sequencer.scoring.config import Rules
from sequencer.scoring.sql import among

LIVE = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)


def ready(rules: Rules, fit: int, engagement: int) -> bool:
    """Engagement at the threshold, and fit at its grade when the workspace set one."""
    return engagement >= rules.threshold and (rules.fit_threshold is None or fit >= rules.fit_threshold)


def reasons(session: Session, prospect_id: int, rules: Rules, limit: int = 3) -> list[str]:
    """The rules that paid most, as people read them: ["demo request", "pricing page"]."""
    e = ScoreEntry
    total = func.sum(e.points)
    rows = session.execute(select(e.rule_key, total).where(e.prospect_id == prospect_id, e.kind == "engagement")
                           .group_by(e.rule_key).having(total > 0).order_by(total.desc(), e.rule_key).limit(limit))
    return [rules.label(key) for key, _ in rows]


def settle(session: Session, ids: list[int], rules: Rules, now: datetime) -> tuple[list[int], list[int]]:
    """Flip the sales-ready flag where the scores say so; hand off each new crossing."""
    crossed, dropped = [], []
    p = Prospect
    rows = session.execute(select(p.id, p.score_fit, p.score_engagement, p.sales_ready)
                           .where(among(session, p.id, ids))).all()
    for pid, fit, engagement, is_ready in rows:
        should = ready(rules, fit, engagement)
        if should and not is_ready and _cross(session, pid, now):
            crossed.append(pid)
            hand_off(session, pid, rules, now)
        elif not should and is_ready and rowcount(session.execute(
                update(p).where(p.id == pid, p.sales_ready.is_(True)).values(sales_ready=False)
                .execution_options(synchronize_session=False))):
            dropped.append(pid)
            session.add(Event(kind="sales_ready_dropped", occurred_at=now, prospect_id=pid,
                              payload={"fit": fit, "engagement": engagement}))
    return crossed, dropped


def _cross(session: Session, pid: int, now: datetime) -> bool:
    """Only the writer whose UPDATE finds the flag still down owns this crossing."""
    p = Prospect
    return bool(rowcount(session.execute(
        update(p).where(p.id == pid, p.sales_ready.is_(False))
        .values(sales_ready=True, sales_ready_at=now, sales_ready_crossings=p.sales_ready_crossings + 1)
        .execution_options(synchronize_session=False))))


def hand_off(session: Session, pid: int, rules: Rules, now: datetime) -> Task | None:
    """The owner's priority task, the `sales_ready` event, and the optional sequence moves."""
    prospect = session.get(Prospect, pid)
    assert prospect is not None
    session.refresh(prospect)
    why = reasons(session, pid, rules)
    task = Task(type=TaskType.SALES_READY, status=TaskStatus.OPEN, owner_id=prospect.owner_id, prospect_id=pid,
                due_at=now, priority=1, dedupe_key=f"sales_ready:{pid}:{prospect.sales_ready_crossings}",
                title=f"{prospect.name} is sales-ready: {' + '.join(why) or 'score threshold reached'}"[:300],
                instructions=f"Engagement {prospect.score_engagement}, fit {prospect.score_fit}. "
                             "Call or email while the interest is fresh.")
    try:
        with session.begin_nested():
            session.add(task)
            session.flush()
    except IntegrityError:
        return None  # another worker handed this crossing off already
    session.add(Event(kind="sales_ready", occurred_at=now, prospect_id=pid, task_id=task.id,
                      user_id=prospect.owner_id, payload={"crossing": prospect.sales_ready_crossings,
                                                          "fit": prospect.score_fit,
                                                          "engagement": prospect.score_engagement, "reasons": why}))
    _move_sequences(session, prospect, rules, now)
    return task


def _move_sequences(session: Session, prospect: Prospect, rules: Rules, now: datetime) -> None:
    """Out of the nurture sequence, into the sales one; a sequence that refuses is skipped, not fatal."""
    exit_id, enrol_id = rules.handoff.get("exit_sequence_id"), rules.handoff.get("sequence_id")
    if exit_id:
        for enrollment in session.scalars(select(Enrollment).where(
                Enrollment.prospect_id == prospect.id, Enrollment.sequence_id == exit_id, Enrollment.status.in_(LIVE))):
            exit_enrollment(session, enrollment, now, "sales_ready")
    sequence = session.get(Sequence, enrol_id) if enrol_id else None
    owner = session.get(User, prospect.owner_id) if prospect.owner_id else None
    if sequence is not None and owner is not None:
        try:
            with session.begin_nested():
                enroll(session, sequence, [prospect.id], actor=owner, now=now)
        except DomainError:
            pass
