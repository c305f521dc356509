"""What a form is: its fields, kind, consent text, thank-you, allowed sites, routing and escalation, checked once
here for every door (API, settings page, demo); saving also keeps its welcome email in step."""
from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.errors import Invalid, NotFound
from sequencer.forms import welcome
from sequencer.models import Form, Sequence, User
from sequencer.texts import tr

KINDS = ("demo_request", "content_download", "webinar", "contact", "newsletter")
KIND_LABELS = {"demo_request": tr("Demo request"), "content_download": tr("Content download"),
               "webinar": tr("Webinar registration"), "contact": tr("Contact us"), "newsletter": tr("Newsletter")}
STANDARD = ("email", "first_name", "last_name", "company", "title", "phone", "country", "city", "consent")
#: A standard field's label when the manager gives none (stored in English, shown in the visitor's language)
DEFAULT_LABELS = {"email": tr("Work email"), "first_name": tr("First name"), "last_name": tr("Last name"),
                  "company": tr("Company"), "title": tr("Title"), "phone": tr("Phone"), "country": tr("Country"),
                  "city": tr("City"), "consent": tr("Consent")}
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
RESERVED = {"website", "_t", "page_url"}
ESCALATION = {"remind_minutes": 5, "manager_minutes": 15, "reassign_minutes": 60}
ROUTE_FIELDS = ("country", "persona", "company_size", "form")
MAX_FIELDS = 30


def _url(value: Any, field: str, details: list) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 2000 or urlsplit(value).scheme not in ("http", "https") \
            or not urlsplit(value).hostname or any(c in value for c in "{}<>\"' "):
        details.append({"field": field, "message": tr("must be an http(s) URL")})
        return None
    return value


def origin_of(value: str) -> str | None:
    """`https://www.acme.com/page` → `https://www.acme.com`; None when it is no web origin."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _fields(value: Any, details: list) -> list[dict]:
    if not isinstance(value, list) or not value or len(value) > MAX_FIELDS:
        details.append({"field": "fields", "message": tr("a list of 1 to %(max)d fields", max=MAX_FIELDS)})
        return []
    out, seen = [], set()
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not NAME.match(item["name"]):
            details.append({"field": f"fields.{i}.name", "message": tr("lower-case letters, digits and _ (max 40)")})
            continue
        name = item["name"]
        maps_to = item.get("maps_to") or (name if name in STANDARD else f"custom:{name}")
        if name in RESERVED or name in seen or not isinstance(maps_to, str) or not (
                maps_to in STANDARD or maps_to.startswith("custom:") and NAME.match(maps_to[7:])):
            details.append({"field": f"fields.{i}", "message": tr("a reserved or repeated name, or an unknown maps_to")})
            continue
        label = item["label"] if isinstance(item.get("label"), str) else name.replace("_", " ").capitalize()
        seen.add(name)
        out.append({"name": name, "label": label.strip()[:200] or name, "required": bool(item.get("required")),
                    "maps_to": maps_to})
    if out and not any(f["maps_to"] == "email" for f in out):
        details.append({"field": "fields", "message": tr("a form needs an email field")})
    for f in out:
        if f["maps_to"] == "email":
            f["required"] = True
    return out


def _user_id(session: Session, value: Any, field: str, details: list) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or session.get(User, value) is None:
        details.append({"field": field, "message": tr("no such user")})
        return None
    return value


def _routing(session: Session, value: Any, details: list) -> dict:
    value = value or {}
    if not isinstance(value, dict):
        details.append({"field": "routing", "message": tr("must be an object")})
        return {}
    rules, pool = value.get("rules") or [], value.get("round_robin") or []
    if not isinstance(rules, list) or not isinstance(pool, list):
        details.append({"field": "routing", "message": tr("rules and round_robin are lists")})
        return {}
    out_rules = []
    for i, rule in enumerate(rules):
        ok = isinstance(rule, dict) and rule.get("field") in ROUTE_FIELDS and isinstance(rule.get("in"), list) \
            and all(isinstance(v, str | int) and not isinstance(v, bool) for v in rule["in"])
        if not ok:
            details.append({"field": f"routing.rules.{i}", "message": f"{{field: {'|'.join(ROUTE_FIELDS)}, in: [...], user_id}}"})
            continue
        uid = _user_id(session, rule.get("user_id"), f"routing.rules.{i}.user_id", details)
        out_rules.append({"field": rule["field"], "in": [str(v) for v in rule["in"]][:100], "user_id": uid})
    out_pool = []
    for i, member in enumerate(pool):
        weight = member.get("weight", 1) if isinstance(member, dict) else None
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 100:
            details.append({"field": f"routing.round_robin.{i}.weight", "message": tr("an integer from 1 to 100")})
            continue
        uid = _user_id(session, member.get("user_id"), f"routing.round_robin.{i}.user_id", details)
        out_pool.append({"user_id": uid, "weight": int(weight)})
    cap = value.get("daily_cap")
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or not 1 <= cap <= 10000):
        details.append({"field": "routing.daily_cap", "message": tr("an integer from 1 to 10000")})
    return {"rules": out_rules, "round_robin": out_pool, "daily_cap": cap}


def _escalation(value: Any, details: list) -> dict:
    value = value or {}
    out: dict[str, int | None] = dict(ESCALATION)
    if not isinstance(value, dict):
        details.append({"field": "escalation", "message": tr("must be an object")})
        return out
    for key in ESCALATION:
        if key in value:
            v = value[key]
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 10080):
                details.append({"field": f"escalation.{key}", "message": tr("minutes from 1 to 10080, or null for never")})
            else:
                out[key] = v
    return out


def check(session: Session, data: dict) -> dict:
    """Clean values for a form; every problem at once, each naming its field."""
    details: list[dict] = []
    out: dict[str, Any] = {}
    name = data.get("name")
    if not isinstance(name, str) or not 0 < len(name.strip()) <= 200:
        details.append({"field": "name", "message": tr("1 to 200 characters")})
    out["name"] = name.strip() if isinstance(name, str) else ""
    if data.get("kind") not in KINDS:
        details.append({"field": "kind", "message": tr("one of %(values)s", values=", ".join(KINDS))})
    out["kind"] = data.get("kind")
    out["fields"] = _fields(data.get("fields"), details)
    for key, limit in (("consent_text", 2000), ("thank_you", 2000)):
        text = data.get(key) or ""
        if not isinstance(text, str) or len(text) > limit:
            details.append({"field": key, "message": tr("text of at most %(limit)d characters", limit=limit)})
            text = ""
        out[key] = text.strip()
    for key in ("redirect_url", "content_url", "booking_url"):
        out[key] = _url(data.get(key), key, details)
    origins = data.get("allowed_origins") or []
    if not isinstance(origins, list) or len(origins) > 50:
        details.append({"field": "allowed_origins", "message": tr("a list of at most 50 site addresses")})
        origins = []
    out["allowed_origins"] = []
    for i, o in enumerate(origins):
        found = origin_of(o) if isinstance(o, str) and len(o) <= 300 else None
        if found is None:
            details.append({"field": f"allowed_origins.{i}", "message": tr("a site address such as https://www.acme.com")})
        elif found not in out["allowed_origins"]:
            out["allowed_origins"].append(found)
    out["double_opt_in"] = bool(data.get("double_opt_in"))
    seq_id = data.get("sequence_id")
    if seq_id is not None and (isinstance(seq_id, bool) or not isinstance(seq_id, int)
                               or session.get(Sequence, seq_id) is None):
        details.append({"field": "sequence_id", "message": tr("no such sequence")})
    out["sequence_id"] = seq_id
    out["routing"] = _routing(session, data.get("routing"), details)
    out["escalation"] = _escalation(data.get("escalation"), details)
    if out["kind"] == "content_download" and not out["content_url"] and not details:
        details.append({"field": "content_url", "message": tr("a content download needs the file's address")})
    if details:
        raise Invalid.of(details)
    return out


def create(session: Session, data: dict, actor: User) -> Form:
    values = check(session, data)
    form = Form(key=secrets.token_urlsafe(12), manager_id=actor.id, **values)
    session.add(form)
    session.flush()
    welcome.sync(session, form, actor.id)
    return form


def update(session: Session, form: Form, data: dict, actor: User) -> Form:
    """Replace the definition; changed consent text gets a new version (the log says which one was agreed to)."""
    values = check(session, data)
    if values["consent_text"] != form.consent_text:
        form.consent_version = (form.consent_version or 0) + 1
    for key, value in values.items():
        setattr(form, key, value)
    session.flush()
    welcome.sync(session, form, actor.id)
    return form


def get(session: Session, form_id: int) -> Form:
    form = session.get(Form, form_id)
    if form is None:
        raise NotFound(tr("no form %(id)s", id=form_id))
    return form


def by_key(session: Session, key: str) -> Form:
    form = session.scalars(select(Form).where(Form.key == key, Form.active.is_(True))).first() if len(key) <= 32 else None
    if form is None:
        raise NotFound(tr("no such form"))
    return form


def listing(session: Session) -> list[Form]:
    return list(session.scalars(select(Form).order_by(Form.id)))


def urls(form: Form, base_url: str) -> dict:
    """The hosted page, the embed snippet and the plain HTML form, for the API answer and the settings page."""
    url = f"{base_url}/f/{form.key}"
    embed = (f'<div data-sequencer-form="{form.key}"><noscript><a href="{url}">Open the form</a></noscript></div>\n'
             f'<script src="{base_url}/f/embed.js" async></script>')
    inputs = "\n".join(f'  <label>{f["label"]} <input name="{f["name"]}"'
                       f'{" type=email" if f["maps_to"] == "email" else ""}{" required" if f["required"] else ""}></label>'
                       for f in form.fields if f["maps_to"] != "consent")
    plain = (f'<form action="{url}" method="post">\n{inputs}\n'
             '  <input name="website" tabindex="-1" autocomplete="off" hidden>\n  <button>Send</button>\n</form>')
    return {"url": url, "embed_html": embed, "plain_html": plain}
