"""Needs attention: uncertain and failed sends on the Outbox page, paused mailboxes in settings and the banner.

Admins and managers answer uncertain/failed messages (htmx swaps the row for the outcome); only
admins resume a paused mailbox.
"""
from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from sequencer.accounts.permissions import is_manager
from sequencer.accounts.workspace import get_workspace
from sequencer.errors import DomainError, http_status
from sequencer.extensions import db
from sequencer.mail import send_review as service
from sequencer.mail.compose import compose
from sequencer.models import Enrollment, Event, Mailbox, StepRun, StepRunState
from sequencer.models.mail import MailboxStatus
from sequencer.outreach.enrollment import LIVE
from sequencer.platform import clock
from sequencer.web import web_bp
from sequencer.web.access import ADMINS, MANAGERS, roles_required
from sequencer.web.locale import say
from sequencer.web.refusals import flash_refusal

ATTENTION_LIMIT = 100


def _attention(stmt: Select) -> Select:
    """Uncertain or failed runs whose enrolment still runs: the ones an admin can act on."""
    return (stmt.join(Enrollment, Enrollment.id == StepRun.enrollment_id)
            .where(StepRun.state.in_(service.RETRYABLE), Enrollment.status.in_(LIVE)))


def attention_count(user) -> int:
    """The Outbox nav badge: admins and managers only (reps can't act on these)."""
    if not user.is_authenticated or not is_manager(user):
        return 0
    return db.session.scalar(_attention(select(func.count(StepRun.id)))) or 0


def attention_rows() -> tuple[list[StepRun], dict[int | None, datetime], int]:
    """Runs needing an answer (uncertain first, oldest first), when each last went wrong, and the total."""
    total = db.session.scalar(_attention(select(func.count(StepRun.id)))) or 0
    if not total:
        return [], {}, 0
    runs = list(db.session.scalars(
        _attention(select(StepRun))
        .options(joinedload(StepRun.enrollment).joinedload(Enrollment.prospect),
                 joinedload(StepRun.enrollment).joinedload(Enrollment.sequence),
                 joinedload(StepRun.enrollment).joinedload(Enrollment.mailbox), joinedload(StepRun.step))
        .order_by((StepRun.state == StepRunState.FAILED).asc(), StepRun.send_started_at, StepRun.due_at, StepRun.id)
        .limit(ATTENTION_LIMIT)).unique())
    went_wrong = dict(db.session.execute(
        select(Event.step_run_id, func.max(Event.occurred_at))
        .where(Event.step_run_id.in_([r.id for r in runs]), Event.kind.in_(("send_failed", "send_uncertain")))
        .group_by(Event.step_run_id)).all())
    return runs, went_wrong, total


def mailbox_emails(runs: list[StepRun]) -> dict[int, str]:
    ids = {r.mailbox_id for r in runs if r.mailbox_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(Mailbox.id, Mailbox.email).where(Mailbox.id.in_(ids))).all())


def paused_own_mailboxes(user) -> list[Mailbox]:
    """The banner: the logged-in user's own mailboxes that stopped sending."""
    if not user.is_authenticated:
        return []
    return list(db.session.scalars(select(Mailbox).where(
        Mailbox.owner_id == user.id, Mailbox.status == MailboxStatus.PAUSED).order_by(Mailbox.email)))


def _run_or_404(step_run_id: int) -> StepRun:
    run = db.session.scalar(select(StepRun).where(StepRun.id == step_run_id).options(
        joinedload(StepRun.enrollment).joinedload(Enrollment.prospect), joinedload(StepRun.step)))
    if run is None:
        abort(404, _("No such message."))
    return run


def _content(run: StepRun):
    """The message as it was composed for sending (same Message-ID), or None if it can't be rebuilt now."""
    try:
        return compose(db.session, run, base_url=current_app.config["BASE_URL"],
                       secret=current_app.config["SECRET_KEY"], postal_address=get_workspace(db.session).postal_address)
    except Exception:  # a message that can't be re-rendered is still marked sent, just without its copy
        current_app.logger.warning("step run %s: could not rebuild the message", run.id, exc_info=True)
        return None


def _respond(run: StepRun, *, outcome: str | None = None, error: str | None = None, nxt: StepRun | None = None,
             status: int = 200):
    if request.headers.get("HX-Request"):
        db.session.refresh(run)
        return render_template("web/mail/_attention_row.html", run=run, outcome=outcome, error=error, nxt=nxt,
                               mailboxes=mailbox_emails([run]), went_wrong={},
                               remaining=attention_count(current_user) if outcome else None), status
    said = {"sent": _("Marked sent"), "queued": _("Queued again")}.get(outcome or "", outcome or "")
    flash(say(error) if error else said, "error" if error else "success")  # every caller gives one of the two
    return redirect(url_for("web.outbox"))


@web_bp.post("/outbox/attention/<int:step_run_id>/mark-sent")
@roles_required(*MANAGERS)
def attention_mark_sent(step_run_id: int):
    run = _run_or_404(step_run_id)
    now = clock.now()
    try:
        content = _content(run) if run.state == StepRunState.UNCERTAIN else None
        nxt = service.mark_sent(db.session, run, current_user, now, content=content)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _respond(_run_or_404(step_run_id), error=exc.message, status=http_status(exc))
    return _respond(run, outcome="sent", nxt=nxt)


@web_bp.post("/outbox/attention/<int:step_run_id>/send-again")
@roles_required(*MANAGERS)
def attention_send_again(step_run_id: int):
    run = _run_or_404(step_run_id)
    try:
        service.send_again(db.session, run, current_user, clock.now())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _respond(_run_or_404(step_run_id), error=exc.message, status=http_status(exc))
    return _respond(run, outcome="queued")


@web_bp.post("/settings/mailboxes/<int:mailbox_id>/resume")
@roles_required(*ADMINS)
def settings_resume_mailbox(mailbox_id: int):
    mailbox = db.session.get(Mailbox, mailbox_id) or abort(404, _("No such mailbox."))
    try:
        service.resume_mailbox(db.session, mailbox, current_user, clock.now())
        db.session.commit()
    except DomainError as exc:
        flash_refusal(exc, as_sentence=True)
    else:
        waiting = db.session.scalar(select(func.count(StepRun.id)).where(
            StepRun.mailbox_id == mailbox.id, StepRun.state == StepRunState.SCHEDULED)) or 0
        queued = " " + ngettext("%(num)d queued message will go out as its limits allow.",
                                "%(num)d queued messages will go out as its limits allow.", waiting) if waiting else ""
        flash(_("%(email)s is sending again.", email=mailbox.email) + queued, "success")
    return redirect(url_for("web.settings_mailboxes"))

