"""One deal's page: figures, BANT, stale flag, stage history and timeline; edit form, stage move and notes."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from sequencer.accounts.permissions import is_rep, may_edit_deal
from sequencer.deals.activity import activity_for, contacts_of
from sequencer.deals.deals import BANT_KEYS, history_of, settle_stale_reminder, update_opportunity
from sequencer.deals.stale import assess, rules_of
from sequencer.errors import DomainError, http_status
from sequencer.extensions import db
from sequencer.models import Event, Opportunity, Stage, User
from sequencer.platform import clock
from sequencer.web import web_bp
from sequencer.web.locale import say
from sequencer.web.pipeline import LOST_REASONS

BANT_LABELS = {"budget": lazy_gettext("Budget"), "authority": lazy_gettext("Authority"), "need": lazy_gettext("Need"),
               "timeline": lazy_gettext("Timeline")}


def _load(opportunity_id: int) -> Opportunity:
    opp = db.session.scalars(select(Opportunity).where(Opportunity.id == opportunity_id).options(
        joinedload(Opportunity.owner), joinedload(Opportunity.company), joinedload(Opportunity.prospect))).first()
    if opp is None:
        abort(404, _("No such deal."))
    return opp


def _timeline(opp: Opportunity) -> list[Event]:
    """Recent events of the deal and of everyone at its company, newest first."""
    people = contacts_of(db.session, [opp])[opp.id]
    cond = Event.opportunity_id == opp.id
    if people:
        cond = cond | Event.prospect_id.in_(people)
    return list(db.session.scalars(select(Event).where(cond).order_by(Event.occurred_at.desc(), Event.id.desc())
                                   .limit(40)))


_YES_NO: dict[bool | None, str] = {True: "yes", False: "no"}


def _form_values(opp: Opportunity) -> dict:
    values = {"name": opp.name, "amount": f"{opp.amount:.2f}" if opp.amount is not None else "",
              "currency": opp.currency, "close_date": opp.close_date.isoformat() if opp.close_date else "",
              "owner_id": str(opp.owner_id or "")}
    for key in BANT_KEYS:
        item = (opp.bant or {}).get(key) or {}
        values[f"bant_{key}"] = item.get("value", "")
        values[f"bant_{key}_ok"] = _YES_NO.get(item.get("ok"), "")
    return values


def _render(opp: Opportunity, values: dict | None = None, errors: dict | None = None, status: int = 200):
    now = clock.now()
    activity = activity_for(db.session, [opp], now)[opp.id]
    stale = assess(opp, activity, rules_of(db.session), opp.owner.timezone if opp.owner else None, now)
    history = history_of(db.session, opp.id)
    names = dict(db.session.execute(select(User.id, User.name)).all())
    return render_template(
        "web/deals/opportunity_detail.html", opp=opp, activity=activity, stale=stale, history=history, names=names,
        events=_timeline(opp), can_edit=may_edit_deal(current_user, opp), stages=list(Stage), bant_labels=BANT_LABELS,
        values=values or _form_values(opp), errors=errors or {}, lost_reasons=LOST_REASONS,
        editing=bool(errors) or request.args.get("edit") == "1",
        owners=db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)).all()), status


@web_bp.route("/opportunities/<int:opportunity_id>")
@login_required
def opportunity_detail(opportunity_id: int):
    return _render(_load(opportunity_id))


@web_bp.route("/opportunities/<int:opportunity_id>", methods=["POST"])
@login_required
def opportunity_save(opportunity_id: int):
    opp = _load(opportunity_id)
    form = request.form
    data: dict[str, Any] = {"name": form.get("name", ""), "amount": form.get("amount", ""),
                            "currency": form.get("currency", ""),
            "close_date": form.get("close_date", ""),
            "bant": {k: {"value": form.get(f"bant_{k}", ""), "ok": {"yes": True, "no": False}.get(form.get(f"bant_{k}_ok", ""))}
                     for k in BANT_KEYS}}
    if not is_rep(current_user) and form.get("owner_id"):
        data["owner_id"] = form.get("owner_id", type=int)
    try:
        update_opportunity(db.session, opp, data, current_user, clock.now())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        if http_status(exc) == 403:
            abort(403, say(exc.message))
        errors = {"_".join(d["field"].split(".")[:2]): say(d["message"]) for d in exc.details}
        return _render(_load(opportunity_id), {k: v for k, v in form.items() if k != "csrf_token"}, errors, 422)
    flash(_("Deal saved."), "success")
    return redirect(url_for("web.opportunity_detail", opportunity_id=opp.id))


@web_bp.route("/opportunities/<int:opportunity_id>/note", methods=["POST"])
@login_required
def opportunity_note(opportunity_id: int):
    """A note, call or meeting written down by hand: recorded as an event, so it counts as activity."""
    opp = _load(opportunity_id)
    if not may_edit_deal(current_user, opp):
        abort(403, _("You can only log activity on your own deals."))
    text = (request.form.get("text") or "").strip()
    kind = request.form.get("kind") if request.form.get("kind") in ("note", "call_logged", "meeting_booked") else "note"
    if not text or len(text) > 2000:
        flash(_("Write what happened (at most 2000 characters)."), "error")
        return redirect(url_for("web.opportunity_detail", opportunity_id=opp.id))
    now = clock.now()
    db.session.add(Event(kind=kind, occurred_at=now, opportunity_id=opp.id, prospect_id=opp.prospect_id,
                         user_id=current_user.id, payload={"text": text}))
    settle_stale_reminder(db.session, opp.id, now)
    db.session.commit()
    flash(_("Activity logged."), "success")
    return redirect(url_for("web.opportunity_detail", opportunity_id=opp.id))
