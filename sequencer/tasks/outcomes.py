"""Working a task: complete with an outcome, skip, snooze, reassign; every outcome drives the enrolment.

Completing or skipping a sequence task marks its step done and schedules the next from that moment
(business-day calendar); `meeting_booked`, `not_interested` and `wrong_person` exit the enrolment.
Every change appends an event, so the timeline and the reports see it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, SessionTransaction, joinedload

from sequencer.accounts.locales import locales_of
from sequencer.accounts.permissions import require_work_task
from sequencer.errors import Conflict, Invalid, NotFound
from sequencer.models import Enrollment, Event, Prospect, StepRun, StepRunState, Task, TaskStatus, User
from sequencer.models.tasks import TaskType
from sequencer.outreach.attribution import record_meeting
from sequencer.outreach.enrollment import LIVE, exit_enrollment, step_done
from sequencer.platform.bounds import WINDOW, in_window
from sequencer.platform.i18n import localized
from sequencer.texts import tr

OUTCOMES = ("done", "connected", "voicemail", "no_answer", "meeting_booked", "not_interested", "wrong_person")
EXITS = {"meeting_booked": "meeting_booked", "not_interested": "not_interested", "wrong_person": "wrong_person"}
_CONVERSATION = ("done", "meeting_booked", "not_interested", "wrong_person")
FITTING = {  # what can come of each kind of task; a reply follow-up never "left a voicemail"
    TaskType.CALL.value: OUTCOMES,
    TaskType.SALES_READY.value: OUTCOMES,  # speed to lead: usually a call
    TaskType.FIX_DATA.value: ("done",),
    TaskType.LINKEDIN_VIEW.value: ("done",),
    TaskType.LINKEDIN_CONNECT.value: ("done", "connected", "not_interested", "wrong_person"),
    TaskType.LINKEDIN_MESSAGE.value: _CONVERSATION,
    TaskType.MANUAL_EMAIL.value: _CONVERSATION,
    TaskType.REPLY_FOLLOWUP.value: _CONVERSATION,
}
# task, enrolment and step states as refusals name them, said in the reader's language
STATUS_WORDS = {"done": tr("done"), "skipped": tr("skipped"), "active": tr("active"), "paused": tr("paused"),
                "finished": tr("finished"), "exited": tr("exited"), "scheduled": tr("scheduled"),
                "sending": tr("sending"), "sent": tr("sent"), "task_open": tr("task_open"), "failed": tr("failed"),
                "uncertain": tr("uncertain"), "held": tr("held")}
UNDO_SECONDS = 15  # how long after completing or skipping a task the rep may take it back


def outcomes_for(task_type: str | TaskType) -> tuple[str, ...]:
    """The outcomes a task of this type offers and accepts (every door asks here)."""
    return FITTING.get(TaskType(task_type).value, _CONVERSATION)


def load_task(session: Session, task_id: int, actor: User, *, for_update: bool = False) -> Task:
    """The task if `actor` may work it; `for_update` takes its row lock at once (PostgreSQL)."""
    stmt = select(Task).where(Task.id == task_id)
    if for_update and _locks_rows(session):
        stmt = stmt.with_for_update()
    task = session.scalars(stmt).first()
    if task is None:
        raise NotFound(tr("no task %(id)s", id=task_id))
    if for_update and _locks_rows(session):
        session.info.setdefault(_LOCKED, set()).add(task.id)  # `_lock_open` need not read it a second time
    require_work_task(actor, task)
    return task


_LOCKED = "sequencer.locked_tasks"  # task ids this transaction holds the row lock of


@event.listens_for(Session, "after_transaction_end")
def _forget_locks(session: Session, transaction: SessionTransaction) -> None:
    """The locks end with the outer transaction, and so does the note of them."""
    if transaction.parent is None:
        session.info.pop(_LOCKED, None)


def _locks_rows(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _lock_open(session: Session, task: Task) -> None:
    """Re-read the task under its row lock, whichever door loaded it, so two clicks close it once."""
    if _locks_rows(session) and task in session and task.id not in session.info.get(_LOCKED, ()):
        session.refresh(task, with_for_update=True)
    _require_open(task)


def _require_open(task: Task) -> None:
    if task.status != TaskStatus.OPEN:
        raise Conflict(tr("the task is already %(status)s", status=STATUS_WORDS.get(task.status.value, task.status.value)))


def _event(session: Session, kind: str, task: Task, actor: User, now: datetime, run: StepRun | None = None,
           enrollment: Enrollment | None = None, **payload) -> None:
    session.add(Event(kind=kind, occurred_at=now, prospect_id=task.prospect_id, enrollment_id=task.enrollment_id,
                      sequence_id=enrollment.sequence_id if enrollment else None,
                      step_id=run.step_id if run else None, step_run_id=run.id if run else None,
                      variant_id=run.variant_id if run else None, task_id=task.id, user_id=actor.id,
                      payload={"type": task.type.value, **payload}))


def _close(session: Session, task: Task, state: StepRunState, now: datetime, exit_reason: str | None) -> None:
    """Move the sequence on: the step is done (next one scheduled), or the enrolment exits."""
    run = session.get(StepRun, task.step_run_id) if task.step_run_id else None
    enrollment = session.get(Enrollment, task.enrollment_id) if task.enrollment_id else None
    session.flush()  # the task is closed first, so an exit doesn't mark it `enrollment_exited`
    if exit_reason and enrollment is not None and enrollment.status in LIVE:
        if run is not None and run.state == StepRunState.TASK_OPEN:
            run.state, run.done_at, run.why_waiting = state, now, None
        exit_enrollment(session, enrollment, now, exit_reason)
    elif run is not None and run.state == StepRunState.TASK_OPEN:
        step_done(session, run, now, state)


def _load_step(session: Session, task: Task) -> StepRun | None:
    """The task's step run with the enrolment, sequence, prospect and company that closing it reads, in one query
    instead of five lazy ones (while the run is held, the identity map answers `session.get` for them)."""
    if not task.step_run_id:
        return None
    via = joinedload(StepRun.enrollment)
    return session.scalars(select(StepRun).where(StepRun.id == task.step_run_id).options(
        via.joinedload(Enrollment.sequence), via.joinedload(Enrollment.prospect).joinedload(Prospect.company))
    ).first()


def complete(session: Session, task: Task, actor: User, outcome: str, notes: str | None, now: datetime,
             referral: bool = False) -> Task:
    """Close the task with an outcome (and notes); `referral` with `wrong_person` opens a referral to-do."""
    _lock_open(session, task)
    fitting = outcomes_for(task.type)
    if outcome not in fitting:
        kind = task.type.value.replace("_", " ").replace("followup", "follow-up")
        said = tr("a %(kind)s can't end with %(outcome)s", kind=kind, outcome=repr(outcome)) \
            if outcome in OUTCOMES else tr("unknown outcome %(outcome)s", outcome=repr(outcome))
        raise Invalid.field("outcome", tr("%(said)s: one of %(choices)s", said=said, choices=", ".join(fitting)))
    task.status, task.outcome, task.completed_at = TaskStatus.DONE, outcome, now
    if notes:
        task.notes = notes
    run = _load_step(session, task)
    enrollment = session.get(Enrollment, task.enrollment_id) if task.enrollment_id else None
    _event(session, "task_completed", task, actor, now, run, enrollment, outcome=outcome, notes=notes or None)
    if outcome == "meeting_booked":
        if enrollment is not None:  # counts for the last email (and variant) the prospect received
            record_meeting(session, enrollment, now, user_id=actor.id, task_id=task.id, source=task.type.value)
        else:
            session.add(Event(kind="meeting_booked", occurred_at=now, prospect_id=task.prospect_id, task_id=task.id,
                              user_id=actor.id, payload={"source": task.type.value}))
    _close(session, task, StepRunState.DONE, now, EXITS.get(outcome))
    prospect = task.prospect if outcome == "wrong_person" and referral and task.prospect_id else None
    if prospect is not None:
        _referral(session, task, prospect, actor, now)
    session.flush()
    return task


def _referral(session: Session, task: Task, prospect, actor: User, now: datetime) -> None:
    """A to-do to ask for the right person, written in its owner's language (stored text)."""
    lang = locales_of(session, [task.owner_id])[task.owner_id]
    company = prospect.company.name if prospect.company else localized(tr("the company"), lang)
    title = tr("Ask %(name)s for a referral at %(company)s", name=prospect.name, company=company)
    how = tr("Wrong person: ask who owns this topic and add them as a prospect.")
    session.add(Task(type=TaskType.TODO, status=TaskStatus.OPEN, owner_id=task.owner_id,
                     prospect_id=task.prospect_id, due_at=now, priority=2, title=localized(title, lang),
                     instructions=localized(how, lang), created_at=now))


def skip(session: Session, task: Task, actor: User, reason: str, now: datetime) -> Task:
    """Skipping a sequence task moves the sequence on just like completing it, without an outcome."""
    _lock_open(session, task)
    if not reason or not reason.strip():
        raise Invalid.field("reason", tr("say why the task is skipped"))
    task.status, task.skip_reason, task.completed_at = TaskStatus.SKIPPED, reason.strip(), now
    run = session.get(StepRun, task.step_run_id) if task.step_run_id else None
    enrollment = session.get(Enrollment, task.enrollment_id) if task.enrollment_id else None
    _event(session, "task_skipped", task, actor, now, run, enrollment, reason=task.skip_reason)
    _close(session, task, StepRunState.SKIPPED, now, None)
    session.flush()
    return task


def snooze(session: Session, task: Task, actor: User, until: datetime, now: datetime) -> Task:
    """Out of sight until `until`: the due moment moves there (the sequence waits with it)."""
    _lock_open(session, task)
    if until <= now:
        raise Invalid.field("until", tr("must be in the future"))
    if not in_window(until):
        raise Invalid.field("until", WINDOW)
    task.due_at = task.snoozed_until = until
    _event(session, "task_snoozed", task, actor, now, until=until.isoformat())
    session.flush()
    return task


def add_note(session: Session, task: Task, actor: User, note: str, now: datetime) -> Task:
    if not note or not note.strip():
        raise Invalid.field("note", tr("write something"))
    task.notes = f"{task.notes}\n{note.strip()}" if task.notes else note.strip()
    _event(session, "task_note", task, actor, now, note=note.strip())
    session.flush()
    return task


def reassign(session: Session, task_ids: list[int], owner_id: int, actor: User, now: datetime) -> int:
    """Give open tasks to another active user (managers); returns how many moved."""
    owner = session.get(User, owner_id)
    if owner is None or not owner.active:
        raise Invalid.field("owner_id", tr("no such active user"))
    tasks = list(session.scalars(select(Task).where(Task.id.in_(task_ids), Task.status == TaskStatus.OPEN)))
    for task in tasks:
        require_work_task(actor, task)
        if task.owner_id != owner_id:
            _event(session, "task_reassigned", task, actor, now, from_owner=task.owner_id, to_owner=owner_id)
    session.execute(update(Task).where(Task.id.in_([t.id for t in tasks])).values(owner_id=owner_id)
                    .execution_options(synchronize_session="fetch"))
    session.flush()
    return len(tasks)


def bulk(session: Session, task_ids: list[int], actor: User, now: datetime, *, action: str,
         outcome: str = "done", reason: str = "") -> dict:
    """Bulk-complete or bulk-skip; each task is handled alone, so one closed task doesn't stop the rest."""
    if action not in ("complete", "skip"):
        raise Invalid.field("action", tr("must be complete or skip"))
    if action == "skip" and not reason.strip():
        raise Invalid.field("reason", tr("say why the tasks are skipped"))
    done, refused = [], []
    for task in session.scalars(select(Task).where(Task.id.in_(task_ids)).order_by(Task.id)):
        require_work_task(actor, task)
        if task.status != TaskStatus.OPEN:
            refused.append({"id": task.id, "reason": tr("already %(status)s", status=STATUS_WORDS.get(task.status.value, task.status.value))})
            continue
        if action == "complete":
            complete(session, task, actor, outcome, None, now)
        else:
            skip(session, task, actor, reason, now)
        done.append(task.id)
    return {"done": done, "refused": refused}
