"""Manual email tasks: the rendered step in an editor, then the rep's edit sent through the real pipeline.

The send is claimed exactly like an automatic one (state `sending` with a lease, `send_started_at`
committed before SMTP), so tracking, threading, unsubscribe headers and the at-most-once rule are the
ones `delivery.send_batch` gives every email. The rep's edited source stays on the task; the exact
rendered subject and bodies are stored on the step run, as for every send.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from jinja2 import TemplateError
from sqlalchemy import update
from sqlalchemy.orm import Session

from sequencer.errors import Conflict, Invalid
from sequencer.mail.compose import compose
from sequencer.mail.delivery import SendSettings, send_batch
from sequencer.models import Enrollment, EnrollmentStatus, Event, StepRun, StepRunState, Task, TaskStatus, User
from sequencer.models.tasks import TaskType
from sequencer.outreach.claims import LEASE
from sequencer.platform.db import rowcount
from sequencer.rendering import (
    RenderLimitExceeded,
    SecurityError,
    TemplateInvalid,
    TemplateRuntimeError,
    build_context,
    render_email,
)
from sequencer.rendering.placeholders import refuse_placeholders
from sequencer.sequences.preview import content_for, sender_view, thread_subject
from sequencer.tasks.outcomes import STATUS_WORDS
from sequencer.texts import tr


def _run(session: Session, task: Task) -> StepRun:
    if task.type != TaskType.MANUAL_EMAIL or not task.step_run_id:
        raise Conflict(tr("only a sequence's manual email task can be sent"))
    return session.get_one(StepRun, task.step_run_id)


def draft(session: Session, task: Task, base_url: str) -> dict:
    """What the editor opens with: the rep's saved edit, or the step rendered for this prospect
    (the persona's content of the variant the enrolment was given), signature and footer left to the send."""
    run = _run(session, task)
    if task.email_body is not None:
        return {"subject": task.email_subject or "", "body": task.email_body, "variant": _label(run)}
    enrollment, step = run.enrollment, run.step
    prospect = enrollment.prospect
    persona_key = prospect.persona.key if prospect.persona else None
    variant = run.variant or (step.variants[0] if step.variants else None)
    subject_src, body_src = content_for(variant, persona_key) if variant else ("", "")
    if step.thread and not subject_src.strip():
        subject_src = thread_subject(enrollment.sequence, step, variant.label if variant else None, persona_key)
    context = build_context(prospect, prospect.company, sender_view(enrollment.mailbox), prospect.persona,
                            f"{base_url}/u/preview")
    try:
        rendered = render_email(subject_src, body_src, context, signature=None, footer_text="")
    except TemplateError as exc:  # e.g. a value too long for an email: the rep writes it by hand, told why
        return {"subject": "", "body": "", "variant": _label(run), "missing": [],
                "problem": tr("the step cannot be rendered for this prospect (%(error)s); write the email by hand",
                               error=str(exc))}
    return {"subject": rendered.subject, "body": rendered.body_text.strip(), "variant": _label(run),
            "missing": rendered.missing}


def _label(run: StepRun) -> str | None:
    return run.variant.label if run.variant else None


def send(session: Session, task: Task, actor: User, subject: str, body: str, settings: SendSettings,
         now: datetime) -> StepRun:
    """Claim the step run, send the rep's edit through `send_batch`, and close the task when it went out."""
    if task.status != TaskStatus.OPEN:
        raise Conflict(tr("the task is already %(status)s", status=STATUS_WORDS.get(task.status.value, task.status.value)))
    run = _run(session, task)
    enrollment = session.get_one(Enrollment, run.enrollment_id)
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise Conflict(tr("the enrolment is %(status)s", status=STATUS_WORDS.get(enrollment.status.value, enrollment.status.value)))
    if enrollment.mailbox_id is None:
        raise Conflict(tr("the enrolment has no mailbox to send from"))
    if run.state != StepRunState.TASK_OPEN:
        raise Conflict(tr("the email is already %(state)s", state=STATUS_WORDS.get(run.state.value, run.state.value)))
    if not body.strip():
        raise Invalid.field("body", tr("write the email"))
    if not subject.strip() and not run.step.thread:
        raise Invalid.field("subject", tr("give it a subject"))
    refuse_placeholders(subject, body)
    try:
        trial = compose(session, run, base_url=settings.base_url, secret=settings.secret_key,
                        postal_address="", edited=(subject, body))
    except (TemplateInvalid, SecurityError, RenderLimitExceeded, TemplateRuntimeError) as exc:  # a template error in the rep's text: say where, keep the edit
        raise Invalid.field("body", tr("cannot be rendered: %(error)s", error=str(exc))) from None
    if trial.missing:
        raise Invalid.field("body", tr("missing values: %(names)s", names=", ".join(trial.missing)))
    task.email_subject, task.email_body = subject, body
    token = f"manual-{uuid.uuid4().hex[:16]}"
    claimed = rowcount(session.execute(update(StepRun).where(StepRun.id == run.id,
                                                             StepRun.state == StepRunState.TASK_OPEN)
                                       .values(state=StepRunState.SENDING, claimed_by=token, lease_until=now + LEASE,
                                               attempt=StepRun.attempt + 1, mailbox_id=enrollment.mailbox_id)
                                       .execution_options(synchronize_session=False)))
    if not claimed:
        raise Conflict(tr("someone else is sending this email"))
    session.commit()
    send_batch(session, enrollment.mailbox_id, [run.id], token, settings)
    session.expire_all()
    run = session.get_one(StepRun, run.id)
    task = session.get_one(Task, task.id)
    if run.state == StepRunState.SENT:
        task.status, task.outcome, task.completed_at = TaskStatus.DONE, "done", settings.clock()
        session.add(Event(kind="task_completed", occurred_at=task.completed_at, prospect_id=task.prospect_id,
                          enrollment_id=task.enrollment_id, sequence_id=enrollment.sequence_id, step_id=run.step_id,
                          step_run_id=run.id, variant_id=run.variant_id, task_id=task.id, user_id=actor.id,
                          payload={"type": task.type.value, "outcome": "done", "edited": True}))
        session.commit()
        return run
    why = run.error or run.why_waiting or run.state.value
    if run.state in (StepRunState.SCHEDULED, StepRunState.SENDING) and run.send_started_at is None:
        run.state, run.claimed_by, run.lease_until = StepRunState.TASK_OPEN, None, None  # back on the rep's desk
        session.commit()
    raise Conflict(tr("not sent: %(why)s", why=why))
