"""Creating and editing prospects for the API and the UI; the field rules are in `validation` and `fields`.

Every field is checked before anything is written (all bad fields at once); an email that already
belongs to another prospect, even one written by a concurrent request, is a `Duplicate` with `existing_id`.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import may_edit_prospect
from sequencer.errors import Duplicate, Forbidden
from sequencer.models import Company, Persona, Prospect, ProspectStatus, User
from sequencer.outreach import holds
from sequencer.people.aliases import find_same_person
from sequencer.people.persona_match import PersonaMatcher
from sequencer.people.validation import check_prospect
from sequencer.platform import clock
from sequencer.scoring import attach
from sequencer.texts import tr


def suggest_persona(session: Session, title: str | None) -> Persona | None:
    """The persona whose title keyword is the longest one found in `title` (see `persona_match`)."""
    if not title:
        return None
    personas = session.scalars(select(Persona).order_by(Persona.id)).all()
    found = PersonaMatcher.of(personas).match(title)
    return next((p for p in personas if p.id == found), None)


def _company(session: Session, name: str | None, domain: str | None) -> Company | None:
    """Match by domain (then by name when no domain is given) or create the company."""
    if domain:
        found = session.scalars(select(Company).where(Company.domain == domain)).first()
        if found is not None:
            return found
        company = Company(name=name or domain, domain=domain)
    elif name:
        found = session.scalars(select(Company).where(func.lower(Company.name) == name.lower())
                                .order_by(Company.id)).first()
        if found is not None:
            return found
        company = Company(name=name)
    else:
        return None
    session.add(company)
    session.flush()
    return company


def _apply(session: Session, prospect: Prospect, values: dict) -> None:
    company = values.pop("_company", None)
    if company is not None:
        found = _company(session, *company)
        prospect.company_id = found.id if found else None
    if "email" in values:
        values["email_normalized"] = values["email"]
    for key, value in values.items():
        setattr(prospect, key, value)
    if prospect.persona_id is None:  # none given (or cleared): suggest from the title
        suggested = suggest_persona(session, prospect.title)
        prospect.persona_id = suggested.id if suggested else None


def _flush(session: Session, prospect: Prospect) -> None:
    """Flush inside a savepoint so a concurrent duplicate becomes a clean `Duplicate`, not a broken session."""
    try:
        with session.begin_nested():
            session.flush()
        session.expire(prospect, ["persona", "company", "owner"])
    except IntegrityError:
        existing = session.scalar(select(Prospect.id).where(Prospect.email_normalized == prospect.email_normalized,
                                                            Prospect.id != prospect.id))
        if existing is None:
            raise
        raise Duplicate(f"a prospect with email {prospect.email_normalized} exists",
                       existing_id=existing) from None


def _refuse_alias(session: Session, email: str | None) -> None:
    """`anna+news@acme.com` when Anna is already a prospect: the same person, as the import treats it."""
    owner = find_same_person(session, email) if email else None
    if owner is not None and owner.email_normalized != email:  # the same address is refused as a duplicate
        raise Duplicate(f"{email} is an alias of {owner.email_normalized}, already a prospect",
                        existing_id=owner.id)


def create_prospect(session: Session, data: dict, actor: User) -> Prospect:
    """A new prospect from API/form data; status `active` and owner = the actor unless given."""
    data = dict(data)
    if "owner_id" not in data:
        data["owner_id"] = actor.id
    values = check_prospect(session, data, None, actor)
    _refuse_alias(session, values.get("email"))
    values.setdefault("status", ProspectStatus.ACTIVE)
    values.setdefault("fields", {})
    prospect = Prospect()
    _apply(session, prospect, values)
    session.add(prospect)
    _flush(session, prospect)
    attach.prospects_created(session, [prospect.id], clock.now())
    return prospect


def update_prospect(session: Session, prospect: Prospect, data: dict, actor: User,
                    now: datetime | None = None) -> Prospect:
    """A partial update (only the keys present change); held steps are then re-checked."""
    if not may_edit_prospect(actor, prospect):
        raise Forbidden(tr("reps can only edit prospects they own"))
    values = check_prospect(session, dict(data), prospect, actor)
    with session.no_autoflush:
        _apply(session, prospect, values)
    _flush(session, prospect)
    holds.release_held(session, prospect, now or clock.now())
    attach.prospect_changed(session, prospect.id, now or clock.now())
    return prospect
