"""A submission as it arrives: checked against the form, spam defences applied, stored, nothing else.

The request that calls this answers at once; the prospect, owner, emails and task come from the worker
(`sequencer.forms.process`), so a slow mail server or CRM never holds up the visitor's browser.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.errors import Invalid
from sequencer.forms import spam
from sequencer.models import Form, FormConsent, FormSubmission
from sequencer.people.aliases import alias_key
from sequencer.platform.addresses import clean_email
from sequencer.texts import tr

DUPLICATE_WINDOW = timedelta(seconds=10)
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
MAX_VALUE = 2000
TRUE = {"on", "true", "1", "yes"}


@dataclass
class Meta:
    ip: str | None
    user_agent: str | None
    page_url: str | None


@dataclass
class Outcome:
    submission: FormSubmission | None  # None: the honeypot caught a bot (it is told "received" all the same)
    duplicate: bool = False


def _text(raw: dict, name: str) -> str:
    value = raw.get(name)
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, int | float):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _values(form: Form, raw: dict) -> tuple[dict, str, bool]:
    """(field values, normalised email, consent given); Invalid naming each bad field."""
    details: list[dict] = []
    values: dict[str, str] = {}
    email, consent = "", False
    for field in form.fields:
        name, target = field["name"], field["maps_to"]
        value = _text(raw, name)
        if len(value) > MAX_VALUE:
            details.append({"field": name, "message": tr("at most %(max)d characters", max=MAX_VALUE)})
            continue
        if target == "consent":
            consent = value.lower() in TRUE
            if field["required"] and not consent:
                details.append({"field": name, "message": tr("please tick this box to continue")})
            continue
        if not value:
            if field["required"]:
                details.append({"field": name, "message": tr("is required")})
            continue
        if target == "email":
            clean, problem = clean_email(value)
            if problem or not clean:
                details.append({"field": name, "message": tr("is not a valid email address")})
                continue
            email = clean
        elif target in spam.NAME_FIELDS and (problem := spam.name_problem(value)):
            details.append({"field": name, "message": problem})
            continue
        values[name] = value
    if details:
        raise Invalid.of(details)
    return values, email, consent


def _utm(raw: dict, page_url: str | None) -> dict:
    found = {k: v for k in UTM_KEYS if (v := _text(raw, k)[:200])}
    if page_url and not found:
        query = parse_qs(urlsplit(page_url).query)
        found = {k: query[k][0][:200] for k in UTM_KEYS if query.get(k)}
    return found


def _recent_duplicate(session: Session, form: Form, email: str, now: datetime) -> bool:
    """The database's view of the window (the Redis marker is the fast path; this holds without it)."""
    return session.scalar(select(FormSubmission.id).where(
        FormSubmission.form_id == form.id, FormSubmission.email == email,
        FormSubmission.created_at >= now - DUPLICATE_WINDOW).limit(1)) is not None


def receive(session: Session, form: Form, raw: dict, meta: Meta, now: datetime, secret: str, *,
            claim_window: Callable[[str], bool] | None = None, min_fill_seconds: float = spam.MIN_FILL_SECONDS) -> Outcome:
    """Check and store one submission (the caller commits). `claim_window(key)` is True for the first
    submission of an email to a form in the 10-second window; a double click is stored as a duplicate."""
    if _text(raw, spam.HONEYPOT):
        return Outcome(None)
    problem = spam.fill_problem(secret, form.id, _text(raw, spam.TIMING) or None, now, min_fill_seconds)
    if problem:
        raise Invalid.field("form", problem)
    values, email, consent = _values(form, raw)
    page_url = (_text(raw, "page_url") or meta.page_url or "")[:2000] or None
    flags = spam.address_flags(email) + ([] if _text(raw, spam.TIMING) else ["unverified_timing"])
    window_key = f"{form.id}:{alias_key(email)}"
    # Redis's SET NX decides at once; without Redis, the database's view of the window
    duplicate = not claim_window(window_key) if claim_window is not None else _recent_duplicate(session, form, email, now)
    submission = FormSubmission(
        form_id=form.id, email=email, data=values, ip=(meta.ip or "")[:64] or None,
        user_agent=(meta.user_agent or "")[:400] or None, page_url=page_url, utm=_utm(raw, page_url),
        consent_given=consent, consent_text=form.consent_text if consent else None,
        consent_version=form.consent_version if consent else None, flags=flags,
        status="duplicate" if duplicate else "received", created_at=now)
    session.add(submission)
    session.flush()
    if consent and not duplicate:
        session.add(FormConsent(submission_id=submission.id, email=email, action="given", text=form.consent_text,
                                version=form.consent_version, ip=submission.ip, at=now))
    return Outcome(submission, duplicate)
