"""The sequence funnel per step (reached, exited by reason) and the sequence's weekly reply and meeting rates."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.models import Enrollment, EnrollmentStatus, Event, Sequence, StepRun


@dataclass
class FunnelStep:
    position: int
    reached: int = 0
    held_out: int = 0
    exited: dict[str, int] = field(default_factory=dict)


def funnel(session: Session, sequence: Sequence) -> list[FunnelStep]:
    """Reached = step runs created; an exit counts at the last step the enrolment had reached."""
    steps = {s.id: s.position for s in sequence.steps}
    out = {pos: FunnelStep(pos) for pos in steps.values()}
    if not steps:
        return []
    for step_id, held, n in session.execute(
            select(StepRun.step_id, StepRun.holdout, func.count()).where(StepRun.step_id.in_(steps))
            .group_by(StepRun.step_id, StepRun.holdout)):
        out[steps[step_id]].reached += n
        if held:
            out[steps[step_id]].held_out += n
    last = (select(StepRun.enrollment_id, func.max(StepRun.position).label("pos"))
            .where(StepRun.step_id.in_(steps)).group_by(StepRun.enrollment_id).subquery())
    for pos, reason, n in session.execute(
            select(last.c.pos, Enrollment.exit_reason, func.count())
            .join(last, last.c.enrollment_id == Enrollment.id)
            .where(Enrollment.sequence_id == sequence.id, Enrollment.status == EnrollmentStatus.EXITED)
            .group_by(last.c.pos, Enrollment.exit_reason)):
        if pos in out:
            out[pos].exited[reason or "other"] = n
    return [out[p] for p in sorted(out)]


@dataclass
class Week:
    start: date
    sent: int = 0
    replied: int = 0
    meetings: int = 0

    def rate(self, name: str) -> float | None:
        return getattr(self, name) / self.sent if self.sent else None


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def weekly(session: Session, sequence: Sequence) -> list[Week]:
    """Emails sent, replies and meetings per ISO week (by the day they happened), gaps filled with zeros."""
    field_of = {"sent": "sent", "replied": "replied", "meeting_booked": "meetings"}
    day = func.date(Event.occurred_at)
    weeks: dict[date, Week] = {}
    for d, kind, n in session.execute(
            select(day, Event.kind, func.count())
            .where(Event.sequence_id == sequence.id, Event.kind.in_(field_of))
            .group_by(day, Event.kind)):
        d = _as_date(d)
        start = d - timedelta(days=d.weekday())
        week = weeks.setdefault(start, Week(start))
        setattr(week, field_of[kind], getattr(week, field_of[kind]) + n)
    if not weeks:
        return []
    first, last = min(weeks), max(weeks)
    out, cur = [], first
    while cur <= last:
        out.append(weeks.get(cur, Week(cur)))
        cur += timedelta(days=7)
    return out
