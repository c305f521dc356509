"""What actually went out: stored rendered messages, newest first; reps see their own prospects' mail."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from sequencer.accounts.permissions import is_manager, is_rep
from sequencer.extensions import db
from sequencer.models import Enrollment, Mailbox, Prospect, StepRun, StepRunState
from sequencer.web import web_bp
from sequencer.web.send_review import attention_rows, mailbox_emails

PER_PAGE = 50


def visible_runs(stmt: Select) -> Select:
    """Sent runs with a subject; a rep only sees mail to prospects they own or from mailboxes they own."""
    stmt = (stmt.join(Enrollment, Enrollment.id == StepRun.enrollment_id)
            .join(Prospect, Prospect.id == Enrollment.prospect_id)
            .outerjoin(Mailbox, Mailbox.id == StepRun.mailbox_id)
            .where(StepRun.state == StepRunState.SENT, StepRun.subject.is_not(None)))
    if is_rep(current_user):
        stmt = stmt.where(or_(Prospect.owner_id == current_user.id, Mailbox.owner_id == current_user.id))
    return stmt


def _loaded(stmt: Select) -> Select:
    return stmt.options(joinedload(StepRun.enrollment).joinedload(Enrollment.prospect),
                        joinedload(StepRun.enrollment).joinedload(Enrollment.sequence))


@web_bp.route("/outbox")
@login_required
def outbox():
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    total = db.session.scalar(visible_runs(select(func.count(StepRun.id)))) or 0
    rows = db.session.execute(
        _loaded(visible_runs(select(StepRun, Mailbox.email)))
        .order_by(StepRun.sent_at.desc(), StepRun.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).unique().all()
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    attention: dict = {}
    if is_manager(current_user) and page == 1:
        runs, went_wrong, count = attention_rows()
        attention = {"runs": runs, "went_wrong": went_wrong, "count": count, "mailboxes": mailbox_emails(runs)}
    return render_template("web/mail/outbox.html", rows=rows, total=total, page=page, pages=pages, attention=attention)


@web_bp.route("/outbox/<int:step_run_id>")
@login_required
def outbox_message(step_run_id: int):
    row = db.session.execute(
        _loaded(visible_runs(select(StepRun, Mailbox.email))).where(StepRun.id == step_run_id)
    ).unique().first()
    if row is None:
        abort(404, "No such sent message.")
    return render_template("web/mail/outbox_message.html", run=row[0], mailbox_email=row[1])
