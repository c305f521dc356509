"""The worker's half of a submission: claim it (so two workers never handle one twice), then either send the
double opt-in confirmation, or find the person, choose the owner and hand the lead over."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from sequencer.forms import contacts, handoff, optin, routing
from sequencer.mail.delivery import SendSettings
from sequencer.models import Form, FormSubmission, User
from sequencer.people.aliases import find_same_person
from sequencer.platform.db import rowcount

LEASE = timedelta(minutes=5)


@dataclass
class Processed:
    status: str
    prospect_id: int | None = None
    owner_id: int | None = None
    task_id: int | None = None


def claim(session: Session, submission_id: int, now: datetime) -> bool:
    """Take the submission for this worker (committed); False when another has it or it is done."""
    s = FormSubmission
    won = rowcount(session.execute(update(s).where(
        s.id == submission_id,
        or_(s.status == "received", (s.status == "processing") & (s.claimed_until < now)))
        .values(status="processing", claimed_until=now + LEASE).execution_options(synchronize_session=False)))
    session.commit()
    return bool(won)


def _owner(session: Session, form: Form, person: contacts.Person, now: datetime) -> routing.Choice:
    existing = find_same_person(session, person.values["email"])
    if existing is not None and existing.owner_id:
        return routing.Choice(session.get(User, existing.owner_id), "the contact's existing owner")
    attrs = {"country": person.values.get("country"), "persona": person.persona_key,
             "company_size": person.company_size, "form": form.id}
    return routing.route(session, form, attrs, now)


def process(session: Session, submission_id: int, settings: SendSettings) -> Processed:
    """Safe to run twice and from many workers at once: only the claim's winner does anything (commits)."""
    now = settings.clock()
    if not claim(session, submission_id, now):
        return Processed("skipped")
    submission = session.get_one(FormSubmission, submission_id, populate_existing=True)
    form = session.get_one(Form, submission.form_id)
    if form.double_opt_in and submission.confirmed_at is None:
        optin.send_confirmation(session, form, submission, settings)
        return Processed("pending_confirmation")
    person = contacts.read(session, form, submission)
    choice = _owner(session, form, person, now)
    actor = choice.user or (session.get(User, form.manager_id) if form.manager_id else None)
    if actor is None:
        raise RuntimeError(f"form {form.id} has neither an owner for the lead nor a manager")
    prospect, created = contacts.find_or_create(session, person, choice.user, actor)
    if prospect.owner_id is None and choice.user is not None:
        prospect.owner_id = choice.user.id
    owner = session.get(User, prospect.owner_id) if prospect.owner_id else None
    submission.prospect_id, submission.owner_id = prospect.id, owner.id if owner else None
    submission.route_reason = choice.reason
    submission.assigned_at = now
    submission.handoff = {"created": created, **handoff.run(session, form, submission, prospect, owner, now)}
    submission.status, submission.processed_at, submission.claimed_until = "processed", now, None
    session.commit()
    return Processed("processed", prospect.id, submission.owner_id, submission.task_id)
