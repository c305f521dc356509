"""The Outbox: what went out (stored rendered messages, with opens, clicks, replies and bounces; searchable) and
what goes out next with why it waits; reps see their own prospects' and mailboxes' mail."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from sequencer.accounts.permissions import is_manager, is_rep
from sequencer.extensions import db
from sequencer.mail.outbox_lists import (
    ONE_OFF_SORTS,
    SCHEDULED_SORTS,
    SENT_SORTS,
    STATUSES,
    TIEBREAK,
    OutboxQuery,
    loaded,
    one_off_loaded,
    one_off_query,
    scheduled_query,
    sent_query,
    statuses,
)
from sequencer.models import OneOffEmail, StepRun, StepRunState
from sequencer.ops.waiting import explain
from sequencer.platform import clock
from sequencer.web import web_bp
from sequencer.web.listing import listed
from sequencer.web.send_review import attention_rows, mailbox_emails

VIEWS = ("sent", "scheduled", "one_off")
# what sequencer.ops.waiting says of a waiting email: its labels and fixed sentences, marked for the catalogue
WAITING_TEXTS = (_l("Due"), _l("Mailbox paused"), _l("Daily limit"), _l("Throttled"), _l("Domain limit"),
                 _l("Sender away"), _l("Retrying"), _l("Claim expired"), _l("Worker stopped"), _l("Queued again"),
                 _l("Held"), _l("Waiting"), _l("Scheduled"), _l("held until someone fixes what it needs"),
                 _l("waits for its day and send window"),
                 _l("due now: the next dispatch pass hands it to a worker"))


def _query() -> OutboxQuery:
    return OutboxQuery(q=request.args.get("q") or "", status=request.args.get("status") or "",
                       owner_id=current_user.id if is_rep(current_user) else None)


def _said(label_and_reason: tuple[str, str]) -> tuple[str, str]:
    """The label and, where it is one of the fixed sentences, the reason in the reader's language (a reason
    a pass wrote with its own details stays as stored)."""
    label, reason = label_and_reason
    return _(label), _(reason) if reason else reason


@web_bp.route("/outbox")
@login_required
def outbox():
    view = request.args.get("view") if request.args.get("view") in VIEWS else "sent"
    query = _query()
    args = {k: v for k, v in {"view": view if view != "sent" else "", "q": query.q, "status": query.status,
                              "sort": request.args.get("sort", "")}.items() if v}
    if view == "scheduled":
        listing = listed(db.session, scheduled_query(query), sorts=SCHEDULED_SORTS, default_sort="due",
                         tiebreak=(StepRun.id,), entities=False, key_column=StepRun.id, load=loaded)
        now = clock.now()
        why = {run.id: _said(explain(run.why_waiting, run.due_at, now, run.state == StepRunState.HELD))
               for run, _mailbox in listing.rows}
        return render_template("web/mail/outbox_scheduled.html", listing=listing, why=why, query=query, args=args,
                               view=view)
    if view == "one_off":
        listing = listed(db.session, one_off_query(query), sorts=ONE_OFF_SORTS, default_sort="-created",
                         tiebreak=(OneOffEmail.id.desc(),), entities=False, key_column=OneOffEmail.id,
                         load=one_off_loaded)
        return render_template("web/mail/outbox_one_off.html", listing=listing, query=query, args=args, view=view)
    listing = listed(db.session, sent_query(query), sorts=SENT_SORTS, default_sort="-sent", tiebreak=TIEBREAK,
                     entities=False, key_column=StepRun.id, load=loaded)
    attention: dict = {}
    if is_manager(current_user) and listing.page == 1 and not (query.q or query.status):
        runs, went_wrong, count = attention_rows()
        attention = {"runs": runs, "went_wrong": went_wrong, "count": count, "mailboxes": mailbox_emails(runs)}
    engagement = statuses(db.session, [run.id for run, _mailbox in listing.rows])
    return render_template("web/mail/outbox.html", listing=listing, engagement=engagement, attention=attention,
                           query=query, args=args, view=view, statuses=STATUSES)


@web_bp.route("/outbox/<int:step_run_id>")
@login_required
def outbox_message(step_run_id: int):
    row = db.session.execute(loaded(sent_query(_query())).where(StepRun.id == step_run_id)).unique().first()
    if row is None:
        abort(404, _("No such sent message."))
    return render_template("web/mail/outbox_message.html", run=row[0], mailbox_email=row[1],
                           engagement=statuses(db.session, [step_run_id])[step_run_id])
