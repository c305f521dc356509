"""The editor's live preview: the chosen step rendered for a prospect, and when every step would happen.

It previews the editor's current (unsaved) content: a transient Sequence is built from the posted
form and never added to the session.
"""
from __future__ import annotations

from flask import current_app
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from sequencer.accounts.workspace import get_workspace
from sequencer.calendar import Schedule, ScheduleError
from sequencer.errors import DomainError
from sequencer.extensions import db
from sequencer.models import Company, Prospect
from sequencer.outreach.enrol import sending_mailbox_for
from sequencer.platform import clock
from sequencer.platform.timezones import zone
from sequencer.sequences.authoring import validate_payload
from sequencer.sequences.preview import preview_step, project
from sequencer.web import builder_form as bf

LIMIT = 20


def prospect_options(query: str, include_id: int | None = None) -> list[Prospect]:
    """Up to 20 prospects matching a name, email or company search."""
    stmt = (select(Prospect).outerjoin(Company, Prospect.company_id == Company.id)
            .options(joinedload(Prospect.company), joinedload(Prospect.persona)).order_by(Prospect.last_name, Prospect.first_name).limit(LIMIT))
    query = query.strip()[:100]
    if query:
        q = query.lower()  # `%` and `_` are letters, not wildcards
        stmt = stmt.where(or_(*(column.contains(q, autoescape=True) for column in (
            func.lower(Prospect.first_name + " " + Prospect.last_name), func.lower(Prospect.email),
            func.lower(Company.name)))))
    rows = list(db.session.scalars(stmt).unique())
    if include_id and all(p.id != include_id for p in rows):
        extra = db.session.get(Prospect, include_id)
        if extra is not None:
            rows.insert(0, extra)
    return rows


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def preview_context(state: dict, problems: list, form) -> dict:
    steps = state["steps"]
    prospect_id = _int(form.get("preview_prospect"))
    prospect = db.session.get(Prospect, prospect_id) if prospect_id else None
    email_positions = [i for i, s in enumerate(steps, 1) if bf.is_email(s)]
    position = _int(form.get("preview_step"))
    if position not in range(1, len(steps) + 1):
        position = email_positions[0] if email_positions else (1 if steps else None)
    step = steps[position - 1] if position else None
    labels = [v["label"] for v in step["variants"]] if step else []
    label = form.get("preview_variant") if form.get("preview_variant") in labels else (labels[0] if labels else None)
    ctx = {"state": state, "prospect": prospect, "position": position, "labels": labels, "label": label,
           "steps": steps, "step_labels": bf.STEP_LABELS, "problems": [], "result": None, "rows": [],
           "schedule_error": None, "manager_zone": current_user.timezone}
    if prospect is None or not steps:
        return ctx
    data = bf.payload(state)
    try:
        data = validate_payload(db.session, data)
    except DomainError as exc:
        ctx["problems"] = bf.Errors(problems + exc.details).details
        try:
            data["schedule"] = Schedule.from_dict(data["schedule"]).to_dict()
        except ScheduleError as err:
            ctx["schedule_error"] = err.message
            return ctx
    seq = bf.transient_sequence({**state, "schedule": data["schedule"]})
    now = clock.now()
    local = zone(prospect.timezone, data["schedule"].get("fallback_timezone", "UTC"))
    mine = zone(current_user.timezone)
    ctx["local_zone"] = local.key
    ctx["rows"] = [{"position": p.position, "type": p.type, "local": p.at.astimezone(local),
                    "mine": p.at.astimezone(mine), "why": p.why_waiting} for p in project(seq, prospect, now)]
    broken = {d.get("step") for d in ctx["problems"]}
    if position is None or position in broken or None in broken:
        return ctx
    try:
        viewer = current_user._get_current_object()
        sender = sending_mailbox_for(db.session, prospect, viewer) or viewer
        ctx["result"] = preview_step(seq, position, prospect, sender=sender,
                                     variant_label=label, now=now, base_url=current_app.config["BASE_URL"],
                                     postal_address=get_workspace(db.session).postal_address)
    except DomainError as exc:  # e.g. cannot be rendered for this prospect: shown, answered 422
        ctx["problems"] = [{"step": position, "variant": label, **d} for d in exc.details] or [
            {"step": position, "message": exc.message}]
        ctx["status"] = 422
    return ctx
