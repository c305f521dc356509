"""Deals in the pipeline: validated create/update, stage moves with history, and their JSON shape.

The API and the UI both call these; every stage move writes a StageChange row (who, when, from, to)
and a `stage_changed` event, so "last activity" and the reports see it without extra bookkeeping.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import is_rep, may_edit_deal
from sequencer.errors import Duplicate, Forbidden, Invalid
from sequencer.models import Event, Opportunity, Prospect, Stage, StageChange, Task, TaskStatus, User
from sequencer.models.tasks import TaskType
from sequencer.texts import tr

BANT_KEYS = ("budget", "authority", "need", "timeline")
OPEN_STAGES = [s for s in Stage if not s.is_closed]
MAX_AMOUNT = Decimal("999999999999.99")
OWN_ONLY = tr("reps can only own their deals themselves")


def parse_stage(value: object, field: str = "stage") -> Stage:
    try:
        return Stage(value)
    except ValueError:
        raise Invalid.field(field, tr("must be one of %(values)s", values=", ".join(s.value for s in Stage))) from None


def _amount(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise Invalid.field("amount", tr("must be a number"))
    try:
        amount = Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise Invalid.field("amount", tr("must be a number")) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise Invalid.field("amount", tr("must be between 0 and 999999999999.99"))
    return amount.quantize(Decimal("0.01"))


def _currency(value: object) -> str:
    code = str(value or "").strip().upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise Invalid.field("currency", tr("must be an ISO 4217 code such as EUR"))
    return code


def _close_date(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise Invalid.field("close_date", tr("must be a date, YYYY-MM-DD")) from None


def clean_bant(value: object) -> dict:
    """`{budget: {value, ok}, ...}`: a note and a yes/no (or unknown) per BANT letter."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Invalid.field("bant", tr("must be an object keyed by budget, authority, need, timeline"))
    out = {}
    for key, item in value.items():
        if key not in BANT_KEYS:
            raise Invalid.field(f"bant.{key}", tr("unknown; use %(keys)s", keys=", ".join(BANT_KEYS)))
        if item is None:
            continue
        if not isinstance(item, dict) or set(item) - {"value", "ok"}:
            raise Invalid.field(f"bant.{key}", tr("must be {\"value\": text, \"ok\": true|false|null}"))
        note, ok = item.get("value"), item.get("ok")
        if note is not None and not isinstance(note, str) or isinstance(note, str) and len(note) > 500:
            raise Invalid.field(f"bant.{key}.value", tr("must be text of at most 500 characters"))
        if ok is not None and not isinstance(ok, bool):
            raise Invalid.field(f"bant.{key}.ok", tr("must be true, false or null"))
        out[key] = {"value": (note or "").strip(), "ok": ok}
    return out


def _owner(session: Session, owner_id: object, actor: User) -> User:
    owner = session.get(User, owner_id) if isinstance(owner_id, int) and not isinstance(owner_id, bool) else None
    if owner is None:
        raise Invalid.field("owner_id", tr("no such user"))
    if is_rep(actor) and owner.id != actor.id:
        raise Forbidden(tr("%(field)s: %(message)s", field="owner_id", message=OWN_ONLY), [{"field": "owner_id", "message": OWN_ONLY}])
    return owner


def _prospect(session: Session, prospect_id: object) -> Prospect:
    prospect = session.get(Prospect, prospect_id) if isinstance(prospect_id, int) else None
    if prospect is None:
        raise Invalid.field("prospect_id", tr("no such prospect"))
    return prospect


def _record(session: Session, opp: Opportunity, kind: str, actor: User | None, now: datetime, **payload) -> None:
    session.add(Event(kind=kind, occurred_at=now, opportunity_id=opp.id, prospect_id=opp.prospect_id,
                      user_id=actor.id if actor else None, payload=payload))


def open_deal_for(session: Session, prospect: Prospect) -> Opportunity | None:
    """The open deal with this contact or their company, if any: an account has one open deal at a time."""
    cond = Opportunity.prospect_id == prospect.id
    if prospect.company_id:
        cond = cond | (Opportunity.company_id == prospect.company_id)
    return session.scalars(select(Opportunity).where(cond, Opportunity.stage.not_in(
        (Stage.CLOSED_WON, Stage.CLOSED_LOST))).order_by(Opportunity.id).limit(1)).first()


def create_opportunity(session: Session, data: dict, actor: User, now: datetime) -> Opportunity:
    """A new deal; company and owner default from the primary contact. A second open deal for the same
    account is refused as a duplicate naming the first (closed deals, e.g. history, may be added freely)."""
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 300:
        raise Invalid.field("name", tr("is required (at most 300 characters)"))
    prospect = _prospect(session, data.get("prospect_id"))
    owner_id = data.get("owner_id") or (actor.id if is_rep(actor) else prospect.owner_id or actor.id)
    owner = _owner(session, owner_id, actor)
    stage = parse_stage(data.get("stage") or Stage.PROSPECTING.value)
    lost_reason = str(data.get("lost_reason") or "").strip() or None
    if stage == Stage.CLOSED_LOST and not lost_reason:
        raise Invalid.field("lost_reason", tr("is required when the stage is closed_lost"))
    existing = None if stage.is_closed else open_deal_for(session, prospect)
    if existing is not None:
        raise Duplicate(tr("this account already has an open deal: %(name)s", name=existing.name), existing_id=existing.id)
    opp = Opportunity(name=name, prospect=prospect, company_id=prospect.company_id, owner=owner, stage=stage,
                      amount=_amount(data.get("amount")), currency=_currency(data.get("currency") or "EUR"),
                      close_date=_close_date(data.get("close_date")), bant=clean_bant(data.get("bant")),
                      lost_reason=lost_reason if stage == Stage.CLOSED_LOST else None,
                      closed_at=now if stage.is_closed else None, created_at=now, updated_at=now)
    opp.history.append(StageChange(from_stage=None, to_stage=stage.value, changed_by_id=actor.id, changed_at=now))
    session.add(opp)
    session.flush()
    _record(session, opp, "opportunity_created", actor, now, stage=stage.value)
    return opp


def update_opportunity(session: Session, opp: Opportunity, data: dict, actor: User, now: datetime) -> Opportunity:
    """Change the given fields; a stage change goes through `move_stage` (history, reason, closing)."""
    if not may_edit_deal(actor, opp):
        raise Forbidden(tr("you can only change your own deals"))
    if "name" in data:
        name = str(data["name"] or "").strip()
        if not name or len(name) > 300:
            raise Invalid.field("name", tr("is required (at most 300 characters)"))
        opp.name = name
    if "prospect_id" in data:
        prospect = _prospect(session, data["prospect_id"])
        opp.prospect, opp.company_id = prospect, prospect.company_id
    if "owner_id" in data:
        opp.owner = _owner(session, data["owner_id"], actor)
    if "amount" in data:
        opp.amount = _amount(data["amount"])
    if "currency" in data:
        opp.currency = _currency(data["currency"])
    if "close_date" in data:
        opp.close_date = _close_date(data["close_date"])
    if "bant" in data:
        opp.bant = {**(opp.bant or {}), **clean_bant(data["bant"])}
    if "stage" in data:
        move_stage(session, opp, parse_stage(data["stage"]), actor, now, data.get("lost_reason"))
    elif "lost_reason" in data and opp.stage == Stage.CLOSED_LOST:
        reason = str(data["lost_reason"] or "").strip()
        if not reason:
            raise Invalid.field("lost_reason", tr("is required while the deal is closed_lost"))
        opp.lost_reason = reason
    opp.updated_at = now
    session.flush()
    return opp


def move_stage(session: Session, opp: Opportunity, to: Stage, actor: User, now: datetime,
               lost_reason: str | None = None) -> bool:
    """Move a deal; closed_lost needs a reason; reopening a closed deal is allowed and recorded."""
    if not may_edit_deal(actor, opp):
        raise Forbidden(tr("you can only move your own deals"))
    reason = str(lost_reason or "").strip() or None
    if to == Stage.CLOSED_LOST and not reason:
        raise Invalid.field("lost_reason", tr("is required to move a deal to closed_lost"))
    if to == opp.stage:
        if to == Stage.CLOSED_LOST:
            opp.lost_reason = reason
        return False
    before = opp.stage
    opp.stage, opp.updated_at = to, now
    opp.history.append(StageChange(from_stage=before.value, to_stage=to.value, changed_by_id=actor.id,
                                   changed_at=now))
    opp.lost_reason = reason if to == Stage.CLOSED_LOST else None
    opp.closed_at = now if to.is_closed else None
    settle_stale_reminder(session, opp.id, now, closed=to.is_closed)
    session.flush()
    payload: dict[str, str | bool] = {"from": before.value, "to": to.value}
    if reason and to == Stage.CLOSED_LOST:
        payload["lost_reason"] = reason
    if before.is_closed and not to.is_closed:
        payload["reopened"] = True
    _record(session, opp, "stage_changed", actor, now, **payload)
    return True


def settle_stale_reminder(session: Session, opp_id: int, now: datetime, closed: bool = False) -> None:
    """The deal moved or someone logged activity: its open stale reminder has done its job (a closed deal's
    is skipped, since there is nothing left to chase)."""
    status, outcome = (TaskStatus.SKIPPED, "deal_closed") if closed else (TaskStatus.DONE, "activity_logged")
    for task in session.scalars(select(Task).where(  # through the unit of work, so each closed task is seen
            Task.opportunity_id == opp_id, Task.type == TaskType.STALE_OPPORTUNITY, Task.status == TaskStatus.OPEN)):
        task.status, task.outcome, task.completed_at = status, outcome, now


def history_of(session: Session, opp_id: int) -> list[StageChange]:
    return list(session.scalars(select(StageChange).where(StageChange.opportunity_id == opp_id)
                                .order_by(StageChange.changed_at, StageChange.id)))
