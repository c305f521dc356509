"""Checking prospect input from the API and the prospect form: every field at once, with the rules of `fields`.

All bad fields are reported together (one detail per field, in form order) so a form can mark each of
them; an email that belongs to another prospect is a `Duplicate` carrying `existing_id`. The CSV import
checks its cells with the same `fields` cleaners (`csv_import/rows.py`), without per-row queries.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import may_assign_to
from sequencer.errors import Duplicate, Forbidden, Invalid
from sequencer.models import Persona, Prospect, ProspectStatus, User
from sequencer.people import fields
from sequencer.texts import tr

FIELDS = ("email", "first_name", "last_name", "title", "company", "company_domain", "persona", "timezone",
          "country", "city", "language", "phone", "linkedin_url", "owner_id", "status", "fields")
CLEANERS: dict[str, Callable[[str], fields.Cleaned]] = {
    "timezone": fields.timezone, "country": fields.country, "language": fields.language,
    "linkedin_url": fields.linkedin,
}


class _Errors:
    """Collects per-field problems; `raise_if_any` turns them into one Invalid, in form order."""

    def __init__(self) -> None:
        self.details: list[dict] = []

    def add(self, field: str, message: str) -> None:
        self.details.append({"field": field, "message": message})

    def raise_if_any(self) -> None:
        if self.details:
            order = {f: i for i, f in enumerate(FIELDS)}
            self.details.sort(key=lambda d: order.get(d["field"], len(order)))
            raise Invalid.of(self.details)


def _str(data: dict, key: str, errors: _Errors) -> str | None:
    """A trimmed string within the field's limit, or None for empty; anything but a string is an error."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        errors.add(key, tr("must be a string"))
        return None
    clean, problem = fields.text(key, value)
    if problem:
        errors.add(key, problem)
    return clean


def _clean(data: dict, key: str, errors: _Errors, cleaner: Callable[[str], fields.Cleaned]) -> str | None:
    raw = _str(data, key, errors)
    if not raw:
        return None
    clean, problem = cleaner(raw)
    if problem:
        errors.add(key, problem)
    return clean


def _email(data: dict, out: dict, errors: _Errors) -> None:
    raw = data.get("email")
    if not isinstance(raw, str) or not raw.strip():
        errors.add("email", tr("is required"))
        return
    clean, problem = fields.email(raw)
    if problem:
        errors.add("email", problem)
    out["email"] = clean


def _owner(session: Session, data: dict, out: dict, errors: _Errors) -> None:
    owner_id = data["owner_id"]
    if isinstance(owner_id, str) and owner_id.strip().isdigit():
        owner_id = int(owner_id)
    elif owner_id == "":
        owner_id = None
    if owner_id is not None and (isinstance(owner_id, bool) or not isinstance(owner_id, int)
                                 or session.get(User, owner_id) is None):
        errors.add("owner_id", tr("no such user"))
    else:
        out["owner_id"] = owner_id


def _references(session: Session, data: dict, out: dict, errors: _Errors) -> None:
    """Persona, owner, status and custom fields."""
    if "persona" in data:
        key = _str(data, "persona", errors)
        persona = session.scalars(select(Persona).where(Persona.key == key)).first() if key else None
        if key and persona is None:
            errors.add("persona", fields.unknown_persona(key))
        out["persona_id"] = persona.id if persona else None
    if "owner_id" in data:
        _owner(session, data, out, errors)
    if "status" in data:
        try:
            out["status"] = ProspectStatus(data["status"])
        except ValueError:
            errors.add("status", tr("must be one of %(values)s", values=", ".join(s.value for s in ProspectStatus)))
    if "fields" in data:
        value = {} if data["fields"] is None else data["fields"]
        if not isinstance(value, dict):
            errors.add("fields", tr("must be a JSON object"))
        elif problem := fields.custom_problem(value):
            errors.add("fields", problem)
        else:
            out["fields"] = value


def _values(session: Session, data: dict, prospect: Prospect | None) -> dict[str, Any]:
    errors = _Errors()
    out: dict[str, Any] = {}
    for key in sorted(set(data) - set(FIELDS)):
        errors.add(key, tr("unknown field"))
    if "email" in data or prospect is None:
        _email(data, out, errors)
    for key in ("first_name", "last_name", "title", "city"):
        if key in data:
            out[key] = _str(data, key, errors) or ("" if key in ("first_name", "last_name") else None)
    for key, cleaner in CLEANERS.items():
        if key in data:
            out[key] = _clean(data, key, errors, cleaner)
    if "phone" in data:
        country = out.get("country", prospect.country if prospect else None)
        out["phone"] = _clean(data, "phone", errors, lambda raw: fields.phone(raw, country))
    _references(session, data, out, errors)
    if "company" in data or "company_domain" in data:
        out["_company"] = (_str(data, "company", errors), _clean(data, "company_domain", errors, fields.domain))
    errors.raise_if_any()
    return out


def check_prospect(session: Session, data: dict, prospect: Prospect | None, actor: User) -> dict[str, Any]:
    """Validated column values for the keys present in `data` (a new prospect when `prospect` is None)."""
    out = _values(session, data, prospect)
    if not may_assign_to(actor, out.get("owner_id", actor.id)):
        raise Forbidden(tr("reps can only assign prospects to themselves"))
    if "email" in out:
        stmt = select(Prospect.id).where(Prospect.email_normalized == out["email"])
        if prospect is not None:
            stmt = stmt.where(Prospect.id != prospect.id)
        existing = session.scalar(stmt)
        if existing is not None:
            raise Duplicate(f"a prospect with email {out['email']} exists", existing_id=existing)
    return out
