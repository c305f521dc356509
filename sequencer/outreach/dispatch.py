"""The periodic dispatch pass. Every change is a conditional update, so concurrent passes never double up.

A pass resumes enrolments whose pause ran out, takes back expired send claims, opens a task for
each due human step (calls, LinkedIn touches, manual emails, generic tasks) and claims due emails
per mailbox within its limits; the claims become `send_batch` jobs once the pass is committed. It reads due rows through the (state, due_at) index, a bounded batch at a time.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from sequencer.accounts.locales import locales_of
from sequencer.errors import DomainError
from sequencer.models import Enrollment, EnrollmentStatus, StepRun, StepRunState, StepType, Task
from sequencer.models.tasks import TaskStatus, TaskType
from sequencer.outreach.away import settle as settle_time_off
from sequencer.outreach.claims import LEASE, MAX_BATCH, Claim, claim_due_emails, release_expired
from sequencer.outreach.enrollment import resume
from sequencer.outreach.holdout import skip_holdouts
from sequencer.outreach.pools import assign_due as assign_pool_mailboxes
from sequencer.platform.i18n import gettext_in
from sequencer.sequences.instructions import render_instructions
from sequencer.sequences.preview import sender_view
from sequencer.texts import tr

BATCH = 1000
# written in the task owner's language when the task is made (a title is stored text)
TASK_TITLES = {
    StepType.CALL: tr("Call %(name)s"), StepType.MANUAL_EMAIL: tr("Email %(name)s"),
    StepType.LINKEDIN_VIEW: tr("View %(name)s's LinkedIn profile"),
    StepType.LINKEDIN_CONNECT: tr("Connect with %(name)s on LinkedIn"),
    StepType.LINKEDIN_MESSAGE: tr("Message %(name)s on LinkedIn"), StepType.TASK: tr("Task for %(name)s"),
}


@dataclass
class Action:
    step_run_id: int
    enrollment_id: int
    prospect: str
    sequence: str
    position: int
    step_type: str
    mailbox_id: int | None
    due_at: str
    action: str


def resume_expired_pauses(session: Session, now: datetime) -> list[int]:
    """Reactivate paused enrolments whose `paused_until` has passed; returns their ids."""
    expired = session.scalars(select(Enrollment).where(
        Enrollment.status == EnrollmentStatus.PAUSED, Enrollment.paused_until.is_not(None),
        Enrollment.paused_until <= now).order_by(Enrollment.id).limit(BATCH)).all()
    resumed = []
    for enrollment in expired:
        try:
            resume(session, enrollment, now, reason="pause expired")
        except DomainError:  # another pass resumed it first
            continue
        resumed.append(enrollment.id)
    return resumed


def due_step_runs(session: Session, now: datetime, limit: int = BATCH) -> list[StepRun]:
    """Due touches of active enrolments, oldest first, found through the (state, due_at) index."""
    return list(session.scalars(
        select(StepRun).join(Enrollment, Enrollment.id == StepRun.enrollment_id)
        .where(StepRun.state == StepRunState.SCHEDULED, StepRun.due_at <= now, StepRun.holdout.is_(False),
               Enrollment.status == EnrollmentStatus.ACTIVE)
        .order_by(StepRun.due_at, StepRun.id).limit(limit)
        .options(joinedload(StepRun.enrollment).joinedload(Enrollment.prospect),
                 # few distinct steps, sequences and mailboxes: one IN query each beats wide joined rows
                 selectinload(StepRun.step), selectinload(StepRun.variant),
                 joinedload(StepRun.enrollment).selectinload(Enrollment.sequence),
                 joinedload(StepRun.enrollment).selectinload(Enrollment.mailbox))))


def _action(run: StepRun, what: str) -> Action:
    return Action(run.id, run.enrollment_id, f"{run.enrollment.prospect.name} <{run.enrollment.prospect.email}>",
                  run.enrollment.sequence.name, run.position, run.step.type.value, run.mailbox_id,
                  run.due_at.isoformat(), what)


def _owner_id(run: StepRun) -> int | None:
    """Whose task a human step becomes: the prospect's owner, else the sending mailbox's, else who enrolled them."""
    enrollment = run.enrollment
    return enrollment.prospect.owner_id or (enrollment.mailbox.owner_id if enrollment.mailbox else None) \
        or enrollment.enrolled_by_id


def _open_tasks(session: Session, runs: list[StepRun], now: datetime) -> int:
    """Move due human steps to task_open and create their tasks; rows another pass took are left alone."""
    if not runs:
        return 0
    won = set(session.scalars(update(StepRun).where(
        StepRun.id.in_([r.id for r in runs]), StepRun.state == StepRunState.SCHEDULED)
        .values(state=StepRunState.TASK_OPEN, why_waiting=None).returning(StepRun.id)
        .execution_options(synchronize_session="fetch")))
    # a manual email whose send claim expired before SMTP comes back here with its task still open
    existing = set(session.scalars(select(Task.step_run_id).where(Task.step_run_id.in_(won)))) if won else set()
    locales = locales_of(session, [_owner_id(r) for r in runs if r.id in won])
    tasks = []
    for run in runs:
        if run.id not in won or run.id in existing:
            continue
        enrollment, prospect = run.enrollment, run.enrollment.prospect
        owner_id = _owner_id(run)
        tasks.append({"type": TaskType(run.step.type.value), "status": TaskStatus.OPEN, "owner_id": owner_id,
                      "prospect_id": prospect.id, "enrollment_id": enrollment.id, "step_run_id": run.id,
                      "due_at": run.due_at, "priority": 1 if run.step.type == StepType.CALL else 2,
                      "title": gettext_in(locales[owner_id], TASK_TITLES[run.step.type].msgid,
                                         name=prospect.name),
                      "instructions": render_instructions(run.step.instructions, prospect,
                                                          sender_view(enrollment.mailbox)),
                      "created_at": now})
    if tasks:
        session.execute(insert(Task), tasks)
    return len(tasks)


@dataclass
class PassResult:
    resumed: int = 0
    tasks_opened: int = 0
    claims: list[Claim] = field(default_factory=list)
    requeued: int = 0
    uncertain: int = 0
    held_out: int = 0
    actions: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        return {"resumed": self.resumed, "tasks_opened": self.tasks_opened,
                "emails_claimed": sum(len(c.run_ids) for c in self.claims), "batches": len(self.claims),
                "requeued": self.requeued, "uncertain": self.uncertain, "held_out": self.held_out}


def run_pass(session: Session, now: datetime, dry_run: bool = False, lease: timedelta | None = None,
             max_batch: int | None = None) -> PassResult:
    """One pass as of `now`; the caller commits, then sends (or enqueues) the returned claims.

    With `dry_run` nothing changes and the due actions are only listed. `lease` is how long a send
    claim holds and `max_batch` how many emails one claim takes (the app's SEND_LEASE_SECONDS and
    SEND_BATCH_SIZE; claims.LEASE and claims.MAX_BATCH when not given).
    """
    if dry_run:
        runs = due_step_runs(session, now)
        return PassResult(actions=[asdict(_action(r, "send email" if r.step.type == StepType.AUTO_EMAIL
                                                     else "open task")) for r in runs])
    result = PassResult(resumed=len(resume_expired_pauses(session, now)))
    result.requeued, result.uncertain = release_expired(session, now)
    result.held_out = skip_holdouts(session, now)
    due = [r for r in due_step_runs(session, now) if r.step.type != StepType.AUTO_EMAIL]
    result.tasks_opened = _open_tasks(session, due, now)
    settle_time_off(session, now)
    assign_pool_mailboxes(session, now)
    result.claims = claim_due_emails(session, now, lease=lease or LEASE, max_batch=max_batch or MAX_BATCH)
    session.flush()
    return result
