"""The pipeline board (columns by stage, drag or keyboard to move) and the filtered list, with stale flags."""
from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from sequencer.accounts.permissions import is_rep
from sequencer.deals.board import DealFilters, board, list_deals, money
from sequencer.deals.deals import create_opportunity, move_stage, parse_stage
from sequencer.errors import DomainError, Duplicate, http_status
from sequencer.extensions import db
from sequencer.models import Event, Opportunity, Prospect, Stage, Task, User
from sequencer.platform import clock
from sequencer.platform.csv_export import to_csv
from sequencer.platform.i18n import DEFAULT_LOCALE, format_money
from sequencer.scoring.rollup import company_scores
from sequencer.web import web_bp
from sequencer.web.listing import listed_rows
from sequencer.web.locale import current, say
from sequencer.web.pages import humanize

CLOSED_SHOWN_DAYS = 90
LOST_REASONS = [lazy_gettext("Chose a competitor"), lazy_gettext("No budget"), lazy_gettext("No decision / went quiet"),
                lazy_gettext("Timing: project postponed"), lazy_gettext("Chose the module of their existing ERP"),
                lazy_gettext("Price too high")]
# the activity kinds the deal pages show through `|humanize` (last activity, the timeline)
ACTIVITY_LABELS = (lazy_gettext("Sent"), lazy_gettext("Replied"), lazy_gettext("Task completed"),
                   lazy_gettext("Meeting booked"), lazy_gettext("Note"), lazy_gettext("Call logged"),
                   lazy_gettext("Opportunity created"), lazy_gettext("Stage changed"), lazy_gettext("Stale reminder"))
_LOST_BY_ENGLISH = {reason._args[0]: reason for reason in LOST_REASONS}


@web_bp.app_template_filter("lost_reason")
def lost_reason_label(reason: str | None) -> str:
    """A suggested reason (stored in English) in the reader's language; typed reasons as they are."""
    return say(_LOST_BY_ENGLISH.get(reason or "", reason or ""))


def stored_reason(typed: str | None) -> str | None:
    """A suggested reason picked in the reader's language is stored in English, so reports group it as one."""
    said = {str(reason).casefold(): english for english, reason in _LOST_BY_ENGLISH.items()}
    return said.get((typed or "").strip().casefold(), typed)


@web_bp.app_template_filter("money")
def money_filter(amount, currency: str = "EUR") -> str:
    """Whole units: `€48,000` in English, `48 000 €` in Lithuanian."""
    locale = current()
    return money(amount, currency) if locale == DEFAULT_LOCALE else format_money(amount, currency, locale, cents=False)


def _owners() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))


def _filters() -> DealFilters:
    try:
        return DealFilters.from_args(request.args, me=current_user.id)
    except DomainError as exc:
        abort(422, say(exc.message))


@web_bp.route("/pipeline")
@login_required
def pipeline_board():
    filters = _filters()
    filters.stage, filters.status = None, "all"
    now = clock.now()
    recent = now - timedelta(days=CLOSED_SHOWN_DAYS)
    rows = [r for r in list_deals(db.session, filters, now)
            if not r.opp.stage.is_closed or (r.opp.closed_at and r.opp.closed_at >= recent)]
    return render_template("web/deals/pipeline_board.html", columns=board(rows), filters=filters, owners=_owners(),
                           lost_reasons=LOST_REASONS, closed_days=CLOSED_SHOWN_DAYS,
                           stale_count=sum(r.stale is not None for r in rows),
                           company_scores=company_scores(db.session, [r.opp.company_id for r in rows]))


@web_bp.route("/pipeline/list")
@login_required
def pipeline_list():
    filters = _filters()
    rows = list_deals(db.session, filters, clock.now())
    if request.args.get("format") == "csv":
        return _csv(rows)
    listing = listed_rows(rows, sorts=LIST_SORTS, default_sort="close")
    args = dict(filters.args(), **({"sort": listing.sort.token} if listing.sort else {}))
    return render_template("web/deals/pipeline_list.html", rows=listing.rows, listing=listing, args=args,
                           filters=filters, owners=_owners(), stages=list(Stage))


STAGE_ORDER = {stage: i for i, stage in enumerate(Stage)}
LIST_SORTS = {  # the deals list's sortable columns (whitelisted; the web.listing helper reads `sort`)
    "name": lambda r: r.opp.name.lower(), "stage": lambda r: STAGE_ORDER[r.opp.stage],
    "amount": lambda r: r.opp.amount, "close": lambda r: r.opp.close_date,
    "owner": lambda r: r.opp.owner.name.lower() if r.opp.owner else None, "activity": lambda r: r.activity.last_at,
}


def _csv(rows):
    header = ["Deal", "Company", "Contact", "Owner", "Stage", "Amount", "Currency", "Expected close",
              "Last activity (UTC)", "Last activity kind", "Stale since (UTC)", "Why stale", "Contact score",
              "Company score (max)", "Company score (sum)"]
    companies = company_scores(db.session, [r.opp.company_id for r in rows])
    body = [[r.opp.name, r.opp.company.name if r.opp.company else "", r.opp.prospect.name if r.opp.prospect else "",
             r.opp.owner.name if r.opp.owner else "", r.opp.stage.value, r.opp.amount, r.opp.currency,
             r.opp.close_date, r.activity.last_at.replace(tzinfo=None), r.activity.last_kind,
             r.stale.since.replace(tzinfo=None) if r.stale else "", r.stale.reason if r.stale else "",
             r.opp.prospect.score_engagement if r.opp.prospect else "",
             companies.get(r.opp.company_id, {}).get("max", ""), companies.get(r.opp.company_id, {}).get("sum", "")]
            for r in rows]
    return to_csv(header, body), 200, {"Content-Type": "text/csv; charset=utf-8",
                                       "Content-Disposition": 'attachment; filename="pipeline.csv"'}


def _column_figures() -> dict:
    """Count and summed amounts per stage as the board shows them, for the board script after a move."""
    now = clock.now()
    recent = now - timedelta(days=CLOSED_SHOWN_DAYS)
    filters = DealFilters.from_args(request.form, me=current_user.id)
    filters.stage, filters.status, filters.stale = None, "all", None  # the form's `stage` is the move target
    rows = [r for r in list_deals(db.session, filters, now)
            if not r.opp.stage.is_closed or (r.opp.closed_at and r.opp.closed_at >= recent)]
    out = {}
    for col in board(rows):
        out[col.stage.value] = {"count": len(col.rows),
                                "total": " + ".join(money_filter(v, c) for c, v in col.totals.items()) or "—"}
    return out


@web_bp.route("/opportunities/<int:opportunity_id>/stage", methods=["POST"])
@login_required
def opportunity_move(opportunity_id: int):
    """Board (JSON, fetch) and detail page (form) both move a deal here; closed_lost needs a reason."""
    opp = db.session.get(Opportunity, opportunity_id)
    if opp is None:
        abort(404, _("No such deal."))
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        moved = move_stage(db.session, opp, parse_stage(request.form.get("stage")), current_user, clock.now(),
                           stored_reason(request.form.get("lost_reason")))
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        if wants_json:
            return jsonify({"ok": False, "error": say(exc.message), "field": (exc.details or [{}])[0].get("field")}), \
                http_status(exc)
        flash(say(exc.message).split(": ", 1)[-1].capitalize(), "error")
        return redirect(url_for("web.opportunity_detail", opportunity_id=opp.id))
    if wants_json:
        return jsonify({"ok": True, "moved": moved, "stage": opp.stage.value, "columns": _column_figures()})
    flash(_("Moved to %(stage)s.", stage=humanize(opp.stage).lower()) if moved else _("Nothing to change."), "success")
    return redirect(url_for("web.opportunity_detail", opportunity_id=opp.id))


@web_bp.route("/opportunities/quick", methods=["POST"])
@login_required
def opportunity_quick_create():
    """One click from the prospect page or a task: a deal with sensible defaults, then its page to fill in."""
    prospect = db.session.get(Prospect, request.form.get("prospect_id", type=int))
    if prospect is None:
        abort(404, _("No such prospect."))
    task = db.session.get(Task, request.form.get("task_id", type=int)) if request.form.get("task_id") else None
    booked = db.session.scalar(select(Event.id).where(Event.prospect_id == prospect.id,
                                                      Event.kind == "meeting_booked").limit(1)) is not None
    name = _("%(name)s — new deal", name=prospect.company.name if prospect.company else prospect.name)
    owner_id = current_user.id if is_rep(current_user) else (prospect.owner_id or current_user.id)
    try:
        opp = create_opportunity(db.session, {
            "name": name, "prospect_id": prospect.id, "owner_id": owner_id,
            "stage": "qualification" if booked or (task and task.outcome == "meeting_booked") else "prospecting",
        }, current_user, clock.now())
        db.session.commit()
    except Duplicate as exc:
        db.session.rollback()
        flash(_("This account already has an open deal."), "info")
        return redirect(url_for("web.opportunity_detail", opportunity_id=exc.extra["existing_id"]))
    except DomainError as exc:
        db.session.rollback()
        abort(http_status(exc) if http_status(exc) in (403, 404) else 422, say(exc.message))
    flash(_("Deal created. Add the amount, expected close date and BANT notes."), "success")
    return redirect(url_for("web.opportunity_detail", opportunity_id=opp.id, edit=1))

