"""Taking back a task completed or skipped a moment ago (a mis-click): it is open again and its sequence is back
where it was, as long as nothing has happened since: the next step not yet sent, the enrolment not ended by it.

The closing event stays (events are append-only); a `task_reopened` event records the undo.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.errors import Conflict
from sequencer.models import Enrollment, EnrollmentStatus, Event, StepRun, StepRunState, Task, TaskStatus, User
from sequencer.tasks.outcomes import EXITS, STATUS_WORDS, UNDO_SECONDS
from sequencer.texts import tr

WAITING = (StepRunState.SCHEDULED,)  # untouched since it was created: nothing (a hold's task, a send) points at it


def _refuse(why: str) -> Conflict:
    return Conflict(tr("can't undo: %(why)s", why=why))


def _take_back_step(session: Session, task: Task) -> None:
    """The step run open again, the run scheduled after it removed, a finish taken back."""
    run = session.get(StepRun, task.step_run_id) if task.step_run_id else None
    if run is None or run.state not in (StepRunState.DONE, StepRunState.SKIPPED):
        return
    enrollment = session.get_one(Enrollment, run.enrollment_id)
    following = session.scalars(select(StepRun).where(StepRun.enrollment_id == run.enrollment_id,
                                                      StepRun.position == run.position + 1)).first()
    if following is not None and following.state not in WAITING:
        raise _refuse(tr("step %(position)s is already %(state)s", position=following.position,
                          state=STATUS_WORDS.get(following.state.value, following.state.value)))
    if enrollment.status == EnrollmentStatus.EXITED:
        raise _refuse(tr("the enrolment has ended since"))
    if following is not None:
        session.delete(following)
    if enrollment.status == EnrollmentStatus.FINISHED:
        enrollment.status, enrollment.ended_at = EnrollmentStatus.ACTIVE, None
    run.state, run.done_at = StepRunState.TASK_OPEN, None


def undo(session: Session, task: Task, actor: User, now: datetime) -> Task:
    """Reopen `task` if it was closed within UNDO_SECONDS by a done/skip that did not end the enrolment."""
    if task.status not in (TaskStatus.DONE, TaskStatus.SKIPPED) or task.completed_at is None:
        raise _refuse(tr("the task is open") if task.status == TaskStatus.OPEN
                      else tr("the task is %(status)s", status=STATUS_WORDS.get(task.status.value, task.status.value)))
    if now - task.completed_at > timedelta(seconds=UNDO_SECONDS):
        raise _refuse(tr("undo is possible for %(seconds)s seconds after closing a task", seconds=UNDO_SECONDS))
    if task.outcome in EXITS:
        raise _refuse(tr("%(outcome)s ended the enrolment; reopen it from the prospect's page",
                          outcome=task.outcome.replace("_", " ")))
    _take_back_step(session, task)
    closed = task.outcome or "skipped"
    task.status, task.outcome, task.completed_at, task.skip_reason = TaskStatus.OPEN, None, None, None
    session.add(Event(kind="task_reopened", occurred_at=now, prospect_id=task.prospect_id,
                      enrollment_id=task.enrollment_id, task_id=task.id, user_id=actor.id,
                      payload={"type": task.type.value, "undid": closed}))
    session.flush()
    return task
