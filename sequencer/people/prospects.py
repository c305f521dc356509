"""Creating and editing prospects: one set of rules for the API, the UI and imports.

Every field is checked before anything is written, and all bad fields are reported at once
(422 `validation_error`, one detail per field, in form order) so a form can mark each of them.
An email that already belongs to another prospect is a 409 `duplicate` carrying `existing_id`.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
import pycountry
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import is_rep, may_edit_prospect
from sequencer.accounts.users import check_timezone, normalize_email
from sequencer.errors import DomainError, Duplicate, Forbidden, Invalid
from sequencer.models import Company, Persona, Prospect, ProspectStatus, User
from sequencer.outreach import holds
from sequencer.people.persona_match import PersonaMatcher
from sequencer.platform import clock
from sequencer.platform.serialize import iso

TEXT_LIMITS = {"first_name": 200, "last_name": 200, "title": 300, "city": 200, "company": 300}
FIELDS = ("email", "first_name", "last_name", "title", "company", "company_domain", "persona", "timezone",
          "country", "city", "language", "phone", "linkedin_url", "owner_id", "status", "fields")
DOMAIN = re.compile(r"^(?=.{1,255}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,4})?$")


class _Errors:
    """Collects per-field problems; `raise_if_any` turns them into one Invalid."""

    def __init__(self) -> None:
        self.details: list[dict] = []

    def add(self, field: str, message: str) -> None:
        self.details.append({"field": field, "message": message})

    def raise_if_any(self) -> None:
        if self.details:
            order = {f: i for i, f in enumerate(FIELDS)}
            self.details.sort(key=lambda d: order.get(d["field"], len(order)))
            raise Invalid.of(self.details)


def _text(data: dict, key: str, errors: _Errors) -> str | None:
    """A trimmed string or None for empty; anything but a string is an error."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        errors.add(key, "must be a string")
        return None
    value = value.strip()
    limit = TEXT_LIMITS.get(key)
    if limit and len(value) > limit:
        errors.add(key, f"at most {limit} characters")
    return value or None


def clean_domain(value: str) -> str | None:
    """`https://www.Acme.com/about` → `acme.com`; None when it is not a plausible domain."""
    value = value.strip().lower()
    if "://" in value:
        value = urlsplit(value).hostname or ""
    value = value.split("/", 1)[0].removeprefix("www.").rstrip(".")
    try:
        value = value.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return value if DOMAIN.match(value) else None


def clean_country(value: str) -> str | None:
    code = value.strip().upper()
    return code if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None else None


def clean_phone(value: str, country: str | None) -> str | None:
    """E.164 (`+37061234567`), reading national numbers in the prospect's country; None if unparseable."""
    try:
        number = phonenumbers.parse(value, country or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_linkedin(value: str) -> str | None:
    """Only http(s) links: the URL ends up in an `href`, so `javascript:` must never get through."""
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return value.strip()


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


def _check(session: Session, data: dict, prospect: Prospect | None, actor: User) -> dict:
    """Validated column values for the keys present in `data` (plus company/persona handling)."""
    errors = _Errors()
    out: dict[str, Any] = {}
    unknown = sorted(set(data) - set(FIELDS))
    for key in unknown:
        errors.add(key, "unknown field")
    if "email" in data or prospect is None:
        raw = data.get("email")
        if not isinstance(raw, str) or not raw.strip():
            errors.add("email", "is required")
        else:
            try:
                out["email"] = normalize_email(raw)
            except DomainError as exc:
                errors.add("email", exc.details[0]["message"])
    for key in ("first_name", "last_name", "title", "city"):
        if key in data:
            out[key] = _text(data, key, errors)
    for key in ("first_name", "last_name"):
        if key in out and out[key] is None:
            out[key] = ""
    if "timezone" in data:
        tz = _text(data, "timezone", errors)
        if tz:
            try:
                check_timezone(tz)
            except DomainError:
                errors.add("timezone", f"unknown IANA time zone {tz!r} (e.g. Europe/Vilnius)")
        out["timezone"] = tz
    if "country" in data:
        country = _text(data, "country", errors)
        if country and clean_country(country) is None:
            errors.add("country", f"{country!r} is not an ISO 3166 alpha-2 code (e.g. LT)")
        out["country"] = clean_country(country) if country else None
    if "language" in data:
        lang = _text(data, "language", errors)
        if lang and not LANGUAGE.match(lang.lower()):
            errors.add("language", "use a language code such as en or lt")
        out["language"] = lang.lower() if lang else None
    if "phone" in data:
        phone = _text(data, "phone", errors)
        country = out.get("country", prospect.country if prospect else None)
        if phone:
            e164 = clean_phone(phone, country)
            if e164 is None:
                hint = "" if country else " (add the country code, e.g. +370, or set the country)"
                errors.add("phone", f"{phone!r} is not a phone number{hint}")
            out["phone"] = e164
        else:
            out["phone"] = None
    if "linkedin_url" in data:
        url = _text(data, "linkedin_url", errors)
        if url and clean_linkedin(url) is None:
            errors.add("linkedin_url", "must be an http(s) link")
        elif url and len(url) > 500:
            errors.add("linkedin_url", "at most 500 characters")
        out["linkedin_url"] = url
    if "persona" in data:
        key = _text(data, "persona", errors)
        persona = session.scalars(select(Persona).where(Persona.key == key)).first() if key else None
        if key and persona is None:
            errors.add("persona", f"no persona with key {key!r}")
        out["persona_id"] = persona.id if persona else None
    if "owner_id" in data:
        owner_id = data["owner_id"]
        if isinstance(owner_id, str) and owner_id.strip().isdigit():
            owner_id = int(owner_id)
        elif owner_id == "":
            owner_id = None
        if owner_id is not None and (isinstance(owner_id, bool) or not isinstance(owner_id, int)
                                     or session.get(User, owner_id) is None):
            errors.add("owner_id", "no such user")
        else:
            out["owner_id"] = owner_id
    if "status" in data:
        try:
            out["status"] = ProspectStatus(data["status"])
        except ValueError:
            errors.add("status", "must be one of " + ", ".join(s.value for s in ProspectStatus))
    if "fields" in data:
        value = data["fields"]
        if value is None:
            value = {}
        if not isinstance(value, dict):
            errors.add("fields", "must be a JSON object")
        else:
            out["fields"] = value
    if "company" in data or "company_domain" in data:
        name = _text(data, "company", errors)
        raw_domain = _text(data, "company_domain", errors)
        domain = clean_domain(raw_domain) if raw_domain else None
        if raw_domain and domain is None:
            errors.add("company_domain", f"{raw_domain!r} is not a domain (e.g. acme.com)")
        out["_company"] = (name, domain)
    errors.raise_if_any()
    if is_rep(actor) and out.get("owner_id", actor.id) != actor.id:
        raise Forbidden("reps can only assign prospects to themselves")
    if "email" in out:
        stmt = select(Prospect.id).where(Prospect.email_normalized == out["email"])
        if prospect is not None:
            stmt = stmt.where(Prospect.id != prospect.id)
        existing = session.scalar(stmt)
        if existing is not None:
            raise Duplicate(f"a prospect with email {out['email']} exists", existing_id=existing)
    return out


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
    """Flush inside a savepoint so a concurrent duplicate becomes a clean 409, not a broken session."""
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


def create_prospect(session: Session, data: dict, actor: User) -> Prospect:
    """A new prospect from API/form data; status `active` and owner = the actor unless given."""
    data = dict(data)
    if "owner_id" not in data:
        data["owner_id"] = actor.id
    values = _check(session, data, None, actor)
    values.setdefault("status", ProspectStatus.ACTIVE)
    values.setdefault("fields", {})
    prospect = Prospect()
    _apply(session, prospect, values)
    session.add(prospect)
    _flush(session, prospect)
    return prospect


def update_prospect(session: Session, prospect: Prospect, data: dict, actor: User,
                    now: datetime | None = None) -> Prospect:
    """A partial update (only the keys present change); held steps are then re-checked."""
    if not may_edit_prospect(actor, prospect):
        raise Forbidden("reps can only edit prospects they own")
    values = _check(session, dict(data), prospect, actor)
    with session.no_autoflush:
        _apply(session, prospect, values)
    _flush(session, prospect)
    holds.release_held(session, prospect, now or clock.now())
    return prospect


def serialize_prospect(p: Prospect) -> dict:
    return {
        "id": p.id, "email": p.email, "first_name": p.first_name, "last_name": p.last_name, "name": p.name,
        "title": p.title, "company": p.company.name if p.company else None,
        "company_domain": p.company.domain if p.company else None, "company_id": p.company_id,
        "persona": p.persona.key if p.persona else None, "timezone": p.timezone, "country": p.country,
        "city": p.city, "language": p.language, "phone": p.phone, "linkedin_url": p.linkedin_url,
        "owner_id": p.owner_id, "status": p.status.value, "fields": p.fields or {},
        "created_at": iso(p.created_at), "updated_at": iso(p.updated_at),
    }
