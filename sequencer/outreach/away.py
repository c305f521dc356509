"""While a rep is away their emails wait and their tasks move, so nothing piles up.

Tasks falling due inside the absence go to the first working day after it (or to the rep's chosen
teammate); the rep's automatic emails due inside it wait until that day (or, by the rep's setting, go
out from the teammate's mailbox). Run on every dispatch pass (before emails are claimed) and when an
absence is entered, and safe to run any number of times.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sequencer.calendar import Schedule, next_due
from sequencer.models import (
    Enrollment,
    Mailbox,
    Step,
    StepRun,
    StepRunState,
    StepType,
    Task,
    TaskStatus,
    TimeOff,
    User,
)
from sequencer.platform.db import rowcount
from sequencer.platform.timezones import day_start, zone

BACK_AT = time(9, 0)


def first_working_day_after(day: date) -> date:
    nxt = day + timedelta(days=1)
    while nxt.weekday() >= 5:
        nxt += timedelta(days=1)
    return nxt


def period(user: User, off: TimeOff) -> tuple[datetime, datetime, datetime]:
    """(away from, away until, back at) as aware moments in the rep's own time zone."""
    tz = zone(user.timezone)
    return (day_start(off.starts_on, tz), day_start(off.ends_on + timedelta(days=1), tz),
            datetime.combine(first_working_day_after(off.ends_on), BACK_AT, tzinfo=tz))


def current_and_future(session: Session, now: datetime) -> list[tuple[TimeOff, User]]:
    yesterday = (now - timedelta(days=1)).date()  # any time zone's today is at most a day behind UTC's
    return list(session.execute(select(TimeOff, User).join(User, User.id == TimeOff.user_id)
                                .where(TimeOff.ends_on >= yesterday).order_by(TimeOff.starts_on)).all())


def settle(session: Session, now: datetime) -> dict[str, int]:
    """Move what falls inside any current or coming absence; returns how many tasks and emails moved."""
    moved = {"tasks_pushed": 0, "tasks_reassigned": 0, "emails_waiting": 0}
    for off, user in current_and_future(session, now):
        start, end, back = period(user, off)
        if end <= now:
            continue
        inside = (Task.owner_id == user.id, Task.status == TaskStatus.OPEN, Task.due_at >= start, Task.due_at < end)
        if user.time_off_tasks == "reassign" and user.time_off_delegate_id:
            moved["tasks_reassigned"] += rowcount(session.execute(update(Task).where(*inside).values(
                owner_id=user.time_off_delegate_id).execution_options(synchronize_session=False)))
        else:
            moved["tasks_pushed"] += rowcount(session.execute(update(Task).where(*inside).values(
                due_at=back).execution_options(synchronize_session=False)))
        moved["emails_waiting"] += _hold_emails(session, user, start, end, back, off.ends_on)
    return moved


def _hold_emails(session: Session, user: User, start: datetime, end: datetime, back: datetime, until: date) -> int:
    cover = _cover_mailbox(session, user)
    runs = session.scalars(
        select(StepRun).join(Mailbox, Mailbox.id == StepRun.mailbox_id).join(Step, Step.id == StepRun.step_id)
        .where(Mailbox.owner_id == user.id, StepRun.state == StepRunState.SCHEDULED,
               Step.type == StepType.AUTO_EMAIL, StepRun.due_at >= start, StepRun.due_at < end)).all()
    for run in runs:
        if cover is not None:
            run.mailbox_id = cover.id
            run.why_waiting = f"sent from {cover.email} while the sender is out of office"
            continue
        enrollment: Enrollment = run.enrollment
        prospect = enrollment.prospect
        due = next_due(back, 0, Schedule.from_dict(enrollment.sequence.schedule), prospect.timezone, prospect.country)
        run.due_at = due.at
        run.why_waiting = f"the sender is out of office until {until.isoformat()}"
    return len(runs)



def _cover_mailbox(session: Session, user: User) -> Mailbox | None:
    """The teammate's first mailbox when the rep chose to have emails go out from it while away."""
    if user.time_off_emails != "delegate" or not user.time_off_delegate_id:
        return None
    return session.scalars(select(Mailbox).where(Mailbox.owner_id == user.time_off_delegate_id)
                           .order_by(Mailbox.id).limit(1)).first()
