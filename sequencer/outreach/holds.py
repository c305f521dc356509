"""Held steps: an email whose template needs data the prospect lacks (or cannot render) waits for a human.

Checked when the step comes due (never "Hi ," on the wire); released when the prospect is updated.
A render failure (a runaway template, a value too long for the email) holds that one step the same way.
"""
from __future__ import annotations

from datetime import datetime

from jinja2 import TemplateError
from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.accounts.locales import locales_of
from sequencer.calendar import Schedule, next_due
from sequencer.models import Prospect, StepRun, StepRunState, Task, TaskStatus
from sequencer.models.enrollments import Enrollment
from sequencer.models.tasks import TaskType
from sequencer.platform.i18n import localized
from sequencer.rendering import build_context, missing_variables
from sequencer.sequences.preview import content_for, sender_view, thread_subject
from sequencer.texts import tr

UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.invalid/"  # only the variables matter for the check


def missing_for(run: StepRun) -> list[str]:
    """The template variables this email step needs and the prospect (or company, sender) lacks."""
    enrollment = run.enrollment
    prospect = enrollment.prospect
    if run.variant is None:
        return []
    persona_key = prospect.persona.key if prospect.persona else None
    subject, body = content_for(run.variant, persona_key)
    if run.step.thread and not subject.strip():
        subject = thread_subject(enrollment.sequence, run.step, run.variant.label, persona_key)
    context = build_context(prospect, prospect.company, sender_view(enrollment.mailbox), prospect.persona,
                            UNSUBSCRIBE_PLACEHOLDER)
    found = missing_variables(subject, context, html=False) + missing_variables(body, context, html=True)
    return sorted(set(found))


def _owner_id(enrollment: Enrollment) -> int | None:
    mailbox_owner = enrollment.mailbox.owner_id if enrollment.mailbox else None
    return enrollment.prospect.owner_id or mailbox_owner or enrollment.enrolled_by_id


MAX_REASON = 200  # a render error's text, as kept in why_waiting and the task


def hold(session: Session, run: StepRun, missing: list[str], now: datetime) -> None:
    """Hold the step and open (or reopen) one fix-the-data task for it."""
    names = ", ".join(missing)
    task = _held_task(session, run, now, f"held: missing {names}")
    prospect = run.enrollment.prospect
    locale = _owner_locale(session, task.owner_id)
    task.title = localized(tr("Fix %(name)s's data: missing %(names)s", name=prospect.name, names=names), locale)
    task.instructions = localized(tr(
        "Step %(step)s of “%(sequence)s” is held because its template uses %(names)s. Fill them in on the "
        "prospect; the email is released by itself, or change the template to use a default.",
        step=run.position, sequence=run.enrollment.sequence.name, names=names), locale)


def hold_unrenderable(session: Session, run: StepRun, reason: str, now: datetime) -> None:
    """Hold one step whose email cannot be rendered (the rest of its mailbox goes on) and ask for a fix."""
    reason = " ".join(reason.split())[:MAX_REASON] or "unknown template error"
    task = _held_task(session, run, now, f"held: cannot render: {reason}")
    prospect = run.enrollment.prospect
    locale = _owner_locale(session, task.owner_id)
    task.title = localized(tr("Fix %(name)s's email: it cannot be rendered", name=prospect.name), locale)[:300]
    task.instructions = localized(tr(
        "Step %(step)s of “%(sequence)s” cannot be rendered for this prospect (%(reason)s). Shorten the "
        "prospect's data the template uses, or change the template; the email is released when the prospect "
        "is updated.", step=run.position, sequence=run.enrollment.sequence.name, reason=reason), locale)


def _owner_locale(session: Session, owner_id: int | None) -> str:
    """The fix-the-data task speaks its owner's language (their profile's, else the workspace's)."""
    return locales_of(session, [owner_id])[owner_id]


def _held_task(session: Session, run: StepRun, now: datetime, why: str) -> Task:
    """Mark the step held and return its open fix-the-data task (created or reopened)."""
    run.state, run.why_waiting = StepRunState.HELD, why
    prospect = run.enrollment.prospect
    task = session.scalars(select(Task).where(Task.step_run_id == run.id)).first()
    if task is None:
        task = Task(type=TaskType.FIX_DATA, step_run_id=run.id, prospect_id=prospect.id,
                    enrollment_id=run.enrollment_id, priority=1, due_at=now, title="")
        session.add(task)
    task.status, task.outcome, task.completed_at = TaskStatus.OPEN, None, None
    task.owner_id = _owner_id(run.enrollment)
    return task


def release_held(session: Session, prospect: Prospect, now: datetime) -> int:
    """Re-check this prospect's held steps; those now complete go at the next open moment. Returns how many."""
    held = session.scalars(select(StepRun).join(Enrollment).where(
        Enrollment.prospect_id == prospect.id, StepRun.state == StepRunState.HELD)).all()
    released = 0
    for run in held:
        try:
            missing = missing_for(run)
        except TemplateError as exc:  # still cannot render: stays held, with today's reason
            hold_unrenderable(session, run, str(exc), now)
            continue
        if missing:
            hold(session, run, missing, now)
            continue
        schedule = Schedule.from_dict(run.enrollment.sequence.schedule)
        due = next_due(now, 0, schedule, prospect.timezone, prospect.country)
        run.state, run.due_at, run.why_waiting = StepRunState.SCHEDULED, due.at, due.why_waiting
        for task in session.scalars(select(Task).where(Task.step_run_id == run.id, Task.status == TaskStatus.OPEN)):
            task.status, task.outcome, task.completed_at = TaskStatus.DONE, "data_fixed", now
        released += 1
    session.flush()
    return released
