"""What a flush changed, as catalogue events: new Event rows and state changes of the people, enrolments,
tasks and deals it wrote. Pure mapping over the session's pre-flush state; the hook writes the rows."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from sequencer.models import Event, Opportunity, Prospect, Task
from sequencer.platform import clock

EMAIL_KINDS = {"sent": "email.sent", "opened": "email.opened", "clicked": "email.clicked",
               "replied": "email.replied", "bounced": "email.bounced"}
OTHER_KINDS = {"stale_reminder": "deal.stale", "sales_ready": "prospect.sales_ready",
               "score_changed": "prospect.score_changed", "form_submitted": "form.submitted"}
PROSPECT_STATUS = {"unsubscribed": "prospect.unsubscribed", "bounced": "prospect.bounced",
                   "complained": "prospect.complained"}
ENROLLMENT_KINDS = {"enrolled": "enrollment.created", "paused": "enrollment.paused", "resumed": "enrollment.resumed",
                    "exited": "enrollment.exited", "finished": "enrollment.finished"}  # the state machine records each
TASK_STATUS = {"done": "task.completed", "skipped": "task.skipped"}
PROSPECT_FIELDS = ("email", "first_name", "last_name", "title", "company_id", "persona_id", "phone", "linkedin_url",
                   "timezone", "country", "city", "language", "owner_id", "fields")

Change = tuple[str, dict[str, Any], int | None]  # (type, data, prospect id whose data it carries)


def _value(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat().replace("+00:00", "Z")
    return getattr(v, "value", v) if not isinstance(v, (int, float, str, bool, dict, list, type(None))) else v


def _changed(obj: Any, name: str) -> tuple[bool, Any]:
    """(changed?, old value) of one attribute in this flush."""
    hist = inspect(obj).attrs[name].history
    if not hist.has_changes():
        return False, None
    old = hist.deleted[0] if hist.deleted else None
    return _value(old) != _value(getattr(obj, name)), old


def prospect_data(p: Prospect) -> dict[str, Any]:
    data = {name: _value(getattr(p, name)) for name in PROSPECT_FIELDS}
    return {"id": p.id, **data, "status": _value(p.status)}


def _prospect(p: Prospect, new: bool) -> Iterator[Change]:
    if new:
        yield "prospect.created", prospect_data(p), p.id
        return
    changed = [n for n in PROSPECT_FIELDS if _changed(p, n)[0]]
    owner_changed, old_owner = _changed(p, "owner_id")
    status_changed, _ = _changed(p, "status")
    if changed:
        yield "prospect.updated", {**prospect_data(p), "changed": changed}, p.id
    if owner_changed:
        yield "prospect.owner_changed", {**prospect_data(p), "previous_owner_id": old_owner}, p.id
    if status_changed and _value(p.status) in PROSPECT_STATUS:
        yield PROSPECT_STATUS[_value(p.status)], prospect_data(p), p.id


def _task(t: Task, new: bool) -> Iterator[Change]:
    data = {"id": t.id, "type": _value(t.type), "status": _value(t.status), "title": t.title,
            "owner_id": t.owner_id, "prospect_id": t.prospect_id, "enrollment_id": t.enrollment_id,
            "opportunity_id": t.opportunity_id, "due_at": _value(t.due_at), "outcome": t.outcome}
    if new:
        yield "task.created", data, t.prospect_id
        return
    changed, _ = _changed(t, "status")
    if changed and _value(t.status) in TASK_STATUS:
        yield TASK_STATUS[_value(t.status)], data, t.prospect_id


def _deal(o: Opportunity, new: bool) -> Iterator[Change]:
    data = {"id": o.id, "name": o.name, "stage": _value(o.stage), "amount": None if o.amount is None else str(o.amount),
            "currency": o.currency, "owner_id": o.owner_id, "prospect_id": o.prospect_id,
            "company_id": o.company_id, "close_date": None if o.close_date is None else o.close_date.isoformat()}
    if new:
        yield "deal.created", data, o.prospect_id
        return
    changed, old = _changed(o, "stage")
    if not changed:
        return
    yield "deal.stage_changed", {**data, "previous_stage": _value(old)}, o.prospect_id
    if data["stage"] == "closed_won":
        yield "deal.won", data, o.prospect_id
    elif data["stage"] == "closed_lost":
        yield "deal.lost", {**data, "lost_reason": o.lost_reason}, o.prospect_id


def _event(ev: Any) -> Iterator[Change]:
    """An Event row (an ORM object, or the values of a Core insert) as its catalogue event, if it has one."""
    kind = ev.kind
    if kind in ENROLLMENT_KINDS:
        payload = ev.payload or {}
        yield ENROLLMENT_KINDS[kind], {"id": ev.enrollment_id, "prospect_id": ev.prospect_id,
                                       "sequence_id": ev.sequence_id, "reason": payload.get("reason"),
                                       "details": payload}, ev.prospect_id
        return
    etype = EMAIL_KINDS.get(kind) or OTHER_KINDS.get(kind)
    if etype is None:
        return
    data = {"event_id": getattr(ev, "id", None), "prospect_id": ev.prospect_id, "enrollment_id": ev.enrollment_id,
            "sequence_id": ev.sequence_id, "step_id": ev.step_id, "mailbox_id": ev.mailbox_id,
            "opportunity_id": ev.opportunity_id, "task_id": ev.task_id, "details": ev.payload or {}}
    yield etype, data, ev.prospect_id


HANDLERS: dict[type, Any] = {Prospect: _prospect, Task: _task, Opportunity: _deal}


def changes_in(session: Session) -> tuple[list[Change], list[int]]:
    """The catalogue events of this flush, and the ids of prospects it deleted (erased)."""
    out: list[Change] = []
    for obj in list(session.new):
        if isinstance(obj, Event):
            out += _event(obj)
        elif type(obj) in HANDLERS:
            out += HANDLERS[type(obj)](obj, True)
    for obj in list(session.dirty):
        if type(obj) in HANDLERS and session.is_modified(obj, include_collections=False):
            out += HANDLERS[type(obj)](obj, False)
    erased = [obj.id for obj in session.deleted if isinstance(obj, Prospect)]
    return out, erased


EVENT_COLUMNS = ("kind", "prospect_id", "enrollment_id", "sequence_id", "step_id", "mailbox_id", "opportunity_id",
                 "task_id", "payload")


def from_core_insert(params: list[dict[str, Any]]) -> list[Change]:
    """The catalogue events of Event rows written by a Core `insert(Event)` (the send path's, bulk enrolment's)."""
    out: list[Change] = []
    for row in params:
        values = SimpleNamespace(**{c: row.get(c) for c in EVENT_COLUMNS})
        out += _event(values)
    return out


def stamp() -> datetime:
    return clock.now()
