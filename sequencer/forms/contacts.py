"""A submission's person: found by the same address rules as the API and the import (case, spaces, +tags),
or created through `people.prospects.create_prospect` with what the import infers (company by domain,
persona from the title, country and time zone from the form's country and city)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.errors import Duplicate, Invalid
from sequencer.forms.spam import DISPOSABLE
from sequencer.models import Company, Form, FormSubmission, Prospect, User
from sequencer.people.aliases import find_same_person
from sequencer.people.csv_import import geo
from sequencer.people.csv_import.rows import FREE_MAIL
from sequencer.people.prospects import create_prospect, suggest_persona

TEXT_TARGETS = ("first_name", "last_name", "title", "company", "phone", "city")


@dataclass
class Person:
    """What routing reads before the prospect exists."""

    values: dict
    persona_key: str | None
    company_size: str | None


def read(session: Session, form: Form, submission: FormSubmission) -> Person:
    data = submission.data or {}
    values: dict[str, Any] = {"email": submission.email}
    custom: dict[str, str] = {}
    for field in form.fields:
        value, target = data.get(field["name"]), field["maps_to"]
        if not value or target in ("email", "consent"):
            continue
        if target.startswith("custom:"):
            custom[target[7:]] = value
        elif target == "country":
            values["country"] = geo.country_code(value)
            if values["country"] is None:
                custom["country_given"] = value
        else:
            values[target] = value
    domain = submission.email.rsplit("@", 1)[-1]
    if domain not in FREE_MAIL and domain not in DISPOSABLE:
        values["company_domain"] = domain
    if values.get("country"):
        values["timezone"] = geo.infer_timezone(values["country"], values.get("city"))
    values["fields"] = custom
    persona = suggest_persona(session, values.get("title"))
    company = session.scalars(select(Company).where(Company.domain == domain)).first()
    return Person(values, persona.key if persona else None, company.size if company else None)


def _create(session: Session, values: dict, owner: User | None, actor: User) -> Prospect:
    """Create; a value the prospect rules refuse (an odd phone number) is kept as a custom field, not lost."""
    data = {k: v for k, v in values.items() if v not in (None, "")}
    data["owner_id"] = owner.id if owner else None
    try:
        return create_prospect(session, data, actor)
    except Duplicate:
        raise
    except Invalid as exc:
        bad = {d["field"] for d in exc.details} - {"email", "owner_id"}
        if not bad:
            raise
        fields = dict(data.get("fields") or {})
        for key in bad:
            if key in data and key != "fields":
                fields[f"form_{key}"] = str(data.pop(key))
        data["fields"] = fields
        return create_prospect(session, data, actor)


def find_or_create(session: Session, person: Person, owner: User | None, actor: User) -> tuple[Prospect, bool]:
    """(prospect, created); a concurrent worker creating the same person first is found, not duplicated."""
    existing = find_same_person(session, person.values["email"])
    if existing is not None:
        return existing, False
    try:
        return _create(session, person.values, owner, actor), True
    except Duplicate as exc:
        return session.get_one(Prospect, exc.extra["existing_id"]), False
