"""After routing: the submission scores, the welcome email and the form's sequence start from the owner's
mailbox, and the owner gets a speed-to-lead task due now with the submission in it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sequencer.accounts.locales import locale_for
from sequencer.errors import DomainError
from sequencer.forms.definitions import KIND_LABELS
from sequencer.models import Event, Form, FormSubmission, Prospect, Sequence, Task, User
from sequencer.models.tasks import TaskStatus, TaskType
from sequencer.outreach.enrol import enroll
from sequencer.platform.i18n import gettext_in, localized
from sequencer.scoring import ingest
from sequencer.texts import tr

FLAG_TEXT = {"role_address": tr("a role address (info@, sales@ ...): maybe not a person"),
             "disposable_address": tr("a disposable address: may not reach anyone"),
             "unverified_timing": tr("sent without the form's timing check (plain HTML form or API)")}


def record_activity(session: Session, form: Form, submission: FormSubmission, prospect_id: int) -> None:
    """A `form_submitted` activity carrying the form's kind, so the scoring rules can pay for it (once)."""
    props = {"form_id": form.id, "form_kind": form.kind, "title": form.name, "url": submission.page_url or "",
             **(submission.utm or {})}
    ingest.receive(session, [{"prospect_id": prospect_id, "kind": "form_submitted",
                              "occurred_at": submission.created_at.isoformat(),
                              "external_id": f"form:{submission.id}", "properties": props}],
                   submission.created_at, source="form")


def _enrol(session: Session, sequence_id: int | None, prospect_id: int, owner: User, now: datetime,
           alongside: bool = False) -> str:
    """"enrolled" or the reason it was skipped (a refusal never undoes the rest of the hand-off)."""
    sequence = session.get(Sequence, sequence_id) if sequence_id else None
    if sequence is None:
        return "none"
    try:
        with session.begin_nested():
            result = enroll(session, sequence, [prospect_id], actor=owner, now=now, alongside=alongside)
    except DomainError as exc:
        return f"skipped: {exc.message}"
    return "enrolled" if result.enrolled else f"skipped: {result.skipped[0][1]}"


def panel(form: Form, submission: FormSubmission, lang: str | None = None) -> str:
    """The submission as the rep reads it in the task panel, in the rep's language (`lang`)."""
    kind = localized(KIND_LABELS.get(form.kind, form.kind), lang)
    lines = [gettext_in(lang, "%(kind)s from the form “%(form)s”.", kind=kind, form=form.name), "",
             gettext_in(lang, "Email: %(email)s", email=submission.email)]
    for field in form.fields:
        value = (submission.data or {}).get(field["name"])
        if value and field["maps_to"] != "email":
            lines.append(f"{field['label']}: {value}")
    if submission.page_url:
        lines.append(gettext_in(lang, "Page: %(url)s", url=submission.page_url))
    if submission.utm:
        lines.append(gettext_in(lang, "Source: %(utm)s", utm=", ".join(f"{k.removeprefix('utm_')}={v}"
                                                                       for k, v in submission.utm.items())))
    for flag in submission.flags or []:
        lines.append(f"⚠ {localized(FLAG_TEXT.get(flag, flag), lang)}")
    lines += ["", gettext_in(lang, "Call or email now: the first five minutes decide most of these.")]
    return "\n".join(lines)


def speed_to_lead_task(session: Session, form: Form, submission: FormSubmission, prospect: Prospect,
                       owner: User, now: datetime) -> int | None:
    """The owner's task, due now; one per submission however many times the job runs (the dedupe key)."""
    name = f"{prospect.first_name} {prospect.last_name}".strip() or prospect.email
    lang = locale_for(session, owner)  # the task is stored text: written in its owner's language
    kind = localized(KIND_LABELS.get(form.kind, form.kind), lang).lower()
    task = Task(type=TaskType.SPEED_TO_LEAD, status=TaskStatus.OPEN, owner_id=owner.id, prospect_id=prospect.id,
                due_at=now, priority=1, dedupe_key=f"form:{submission.id}", created_at=now,
                title=gettext_in(lang, "New lead: %(name)s (%(kind)s)", name=name, kind=kind)[:300],
                instructions=panel(form, submission, lang))
    try:
        with session.begin_nested():
            session.add(task)
            session.flush()
    except IntegrityError:
        return None
    return task.id


def run(session: Session, form: Form, submission: FormSubmission, prospect: Prospect, owner: User | None,
        now: datetime) -> dict:
    """Everything after routing; what happened is returned for the submission's record."""
    record_activity(session, form, submission, prospect.id)
    session.add(Event(kind="form_submitted", occurred_at=submission.created_at, prospect_id=prospect.id,
                      user_id=owner.id if owner else None,
                      payload={"form_id": form.id, "submission_id": submission.id, "kind": form.kind}))
    if owner is None:
        return {"welcome": "no owner", "sequence": "no owner"}
    # the chosen sequence first: the welcome is transactional and may run beside it, not the other way round
    sequence = _enrol(session, form.sequence_id, prospect.id, owner, now)
    done = {"welcome": _enrol(session, form.welcome_sequence_id, prospect.id, owner, now, alongside=True),
            "sequence": sequence}
    submission.task_id = speed_to_lead_task(session, form, submission, prospect, owner, now) or submission.task_id
    return done
