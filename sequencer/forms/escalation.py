"""When a speed-to-lead task sits untouched: a reminder to the owner, then the manager told, then the lead
reassigned to the next rep of the round-robin. Minutes count in the owner's business hours; each step once."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sequencer.accounts.locales import locale_for
from sequencer.forms import routing
from sequencer.forms.definitions import ESCALATION
from sequencer.forms.hours import business_minutes
from sequencer.models import Event, Form, FormSubmission, Prospect, Task, TaskStatus, User
from sequencer.models.tasks import TaskType
from sequencer.platform.db import rowcount
from sequencer.platform.i18n import gettext_in

LEVELS = (("remind_minutes", 1), ("manager_minutes", 2), ("reassign_minutes", 3))


@dataclass
class Escalated:
    reminded: list[int] = field(default_factory=list)
    managers_told: list[int] = field(default_factory=list)
    reassigned: list[int] = field(default_factory=list)

    def summary(self) -> dict:
        return {k: len(v) for k, v in vars(self).items()}


def _due_level(form: Form, sub: FormSubmission, owner: User, now: datetime) -> int:
    """The highest level whose minutes have passed (0: none)."""
    minutes = business_minutes(sub.assigned_at or sub.created_at, now, owner.timezone)
    settings = {**ESCALATION, **(form.escalation or {})}
    return max([level for key, level in LEVELS if settings.get(key) and minutes >= settings[key]], default=0)


def _step_up(session: Session, sub: FormSubmission, level: int) -> bool:
    """Move the submission to `level` if nobody else did (two cron runs escalate once)."""
    return bool(rowcount(session.execute(update(FormSubmission).where(
        FormSubmission.id == sub.id, FormSubmission.escalation_level < level)
        .values(escalation_level=level).execution_options(synchronize_session=False))))


def _todo(session: Session, owner_id: int | None, prospect_id: int | None, key: str, title: str, text: str,
          now: datetime) -> None:
    try:
        with session.begin_nested():
            session.add(Task(type=TaskType.TODO, status=TaskStatus.OPEN, owner_id=owner_id, prospect_id=prospect_id,
                             due_at=now, priority=1, dedupe_key=key, title=title[:300], instructions=text,
                             created_at=now))
            session.flush()
    except IntegrityError:
        pass


def _reassign(session: Session, form: Form, sub: FormSubmission, task: Task, now: datetime) -> bool:
    choice = routing.round_robin(session, form, now, exclude={sub.owner_id} if sub.owner_id else set())
    if choice.user is None:
        return False
    previous = sub.owner_id
    task.owner_id = sub.owner_id = choice.user.id
    sub.assigned_at, sub.route_reason = now, f"reassigned after no touch: {choice.reason}"[:300]
    prospect = session.get(Prospect, sub.prospect_id) if sub.prospect_id else None
    if prospect is not None and prospect.owner_id == previous:
        prospect.owner_id = choice.user.id
    session.add(Event(kind="lead_reassigned", occurred_at=now, prospect_id=sub.prospect_id, task_id=task.id,
                      user_id=choice.user.id, payload={"from_user_id": previous, "submission_id": sub.id}))
    return True


def _lead_name(session: Session, sub: FormSubmission) -> str:
    prospect = session.get(Prospect, sub.prospect_id) if sub.prospect_id else None
    if prospect is None:
        return sub.email
    return f"{prospect.first_name or ''} {prospect.last_name or ''}".strip() or prospect.email


def run(session: Session, now: datetime) -> Escalated:
    """One pass over processed submissions whose task is still open (the caller commits)."""
    out = Escalated()
    rows = session.execute(select(FormSubmission, Task, Form).join(Task, Task.id == FormSubmission.task_id)
                           .join(Form, Form.id == FormSubmission.form_id)
                           .where(FormSubmission.status == "processed", FormSubmission.escalation_level < 3,
                                  Task.status == TaskStatus.OPEN)).all()
    for sub, task, form in rows:
        owner = session.get(User, sub.owner_id) if sub.owner_id else None
        if owner is None:
            continue
        level = _due_level(form, sub, owner, now)
        if level <= sub.escalation_level or not _step_up(session, sub, level):
            continue
        name = _lead_name(session, sub)
        if level == 1:
            task.priority = 0
            lang = locale_for(session, owner)  # each to-do in its reader's language
            _todo(session, owner.id, sub.prospect_id, f"form-remind:{sub.id}",
                  gettext_in(lang, "Reminder: %(name)s is waiting", name=name),
                  gettext_in(lang, "A website lead has had no touch yet. Call or email now."), now)
            out.reminded.append(sub.id)
        elif level == 2:
            lang = locale_for(session, session.get(User, form.manager_id) if form.manager_id else None)
            who = owner.name or owner.email
            _todo(session, form.manager_id, sub.prospect_id, f"form-manager:{sub.id}",
                  gettext_in(lang, "Untouched lead: %(name)s (%(owner)s)", name=name, owner=who),
                  gettext_in(lang, "Nobody has touched this website lead yet. Owner: %(owner)s.", owner=who), now)
            out.managers_told.append(sub.id)
        elif _reassign(session, form, sub, task, now):
            out.reassigned.append(sub.id)
        session.add(Event(kind="lead_escalated", occurred_at=now, prospect_id=sub.prospect_id, task_id=task.id,
                          user_id=owner.id, payload={"level": level, "submission_id": sub.id}))
    return out
