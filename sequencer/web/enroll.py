"""Enrolling from the UI (a selection, or everything matching a filter, resolved here on the server)
and the pause / resume / exit buttons of one enrolment on the prospect page."""
from __future__ import annotations

from datetime import datetime, time

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from sequencer.accounts.permissions import may_manage_enrollment
from sequencer.errors import DomainError, Invalid, http_status
from sequencer.extensions import db
from sequencer.models import Enrollment, Mailbox, Prospect, Sequence, SequenceStatus
from sequencer.outreach.capacity import Estimate, estimate
from sequencer.outreach.enrol import enroll, sendable_mailboxes
from sequencer.outreach.enrollment import exit_enrollment, pause, resume
from sequencer.people.search import ProspectFilters, matching_ids
from sequencer.platform import clock
from sequencer.platform.bounds import WINDOW, in_window
from sequencer.platform.timezones import zone
from sequencer.sequences.authoring import load_sequence
from sequencer.texts import tr
from sequencer.web import web_bp
from sequencer.web.locale import say, when
from sequencer.web.pages import viewer_zone
from sequencer.web.prospects import EXIT_REASONS
from sequencer.web.refusals import flash_refusal

REASONS = {
    "unsubscribed": lazy_gettext("Unsubscribed from our emails"),
    "bounced": lazy_gettext("Email address bounced"),
    "complained": lazy_gettext("Marked our email as spam"),
    "do_not_contact": lazy_gettext("Marked do not contact"),
    "suppressed": lazy_gettext("On the suppression list"),
    "already_enrolled": lazy_gettext("Already in this sequence"),
    "active_in_other_sequence": lazy_gettext("Active in another sequence"),
    "cooldown": lazy_gettext("Left this sequence recently (re-enrol cooldown)"),
    "not_found": lazy_gettext("Prospect no longer exists"),
    "no_mailbox": lazy_gettext("No mailbox to send from (owner and you have none)"),
    "sequence_not_active": lazy_gettext("The sequence is not active"),
}
SHOWN_SKIPS = 500


@web_bp.app_template_filter("skip_reason")
def skip_reason(code: str) -> str:
    return str(REASONS.get(code, code.replace("_", " ").capitalize()))


class Selection:
    """Which prospects the form is about: explicit ids (a few), or a filter resolved in SQL."""

    def __init__(self, source) -> None:
        self.by_filter = source.get("mode") == "filter"
        self.filters = ProspectFilters.from_args(source, me=current_user.id)
        self.ids = [] if self.by_filter else list(dict.fromkeys(
            int(v) for v in source.getlist("ids") if v.strip().isdigit()))

    def resolve(self) -> list[int]:
        return matching_ids(db.session, self.filters) if self.by_filter else self.ids

    def hidden(self) -> list[tuple[str, str]]:
        """The inputs that carry the selection through the form (the filter, not the ids)."""
        if self.by_filter:
            return [("mode", "filter"), *self.filters.args().items()]
        return [("ids", str(i)) for i in self.ids]


def mailbox_choices() -> list[Mailbox]:
    return sendable_mailboxes(db.session, current_user)


def default_mailbox(prospects: list[Prospect], choices: list[Mailbox]) -> str:
    """For one prospect: the owner's mailbox, else the current user's; for many: per-owner default ("")."""
    if len(prospects) != 1:
        return ""
    for owner in (prospects[0].owner_id, current_user.id):
        for box in choices:
            if owner is not None and box.owner_id == owner:
                return str(box.id)
    return ""


def _form(selection: Selection, error: str | None = None, status: int = 200, values: dict | None = None,
          check: Estimate | None = None):
    ids = selection.resolve()
    preview = list(db.session.scalars(select(Prospect).where(Prospect.id.in_(ids[:5]))
                                      .options(joinedload(Prospect.company)))) if ids else []
    preview.sort(key=lambda p: ids.index(p.id))
    sequences = db.session.scalars(select(Sequence).where(Sequence.status == SequenceStatus.ACTIVE)
                                   .order_by(Sequence.name)).all()
    choices = mailbox_choices()
    values = values or {"mailbox_id": default_mailbox(preview, choices), "sequence_id": request.args.get("sequence_id", "")}
    return render_template("web/outreach/enroll.html", selection=selection, count=len(ids), preview=preview,
                           sequences=sequences, mailboxes=choices, values=values, error=error,
                           tz_name=str(viewer_zone()), check=check), status


def parse_start(raw: str) -> datetime | None:
    """A `datetime-local` value read in the viewer's own zone."""
    if not raw.strip():
        return None
    try:
        start = datetime.fromisoformat(raw.strip()).replace(tzinfo=viewer_zone())
    except ValueError:
        raise Invalid(tr("start: use a date and time like 2026-03-02 09:00")) from None
    if not in_window(start):
        raise Invalid(tr("start: %(rule)s", rule=WINDOW))
    return start


@web_bp.route("/enroll", methods=["GET", "POST"])
@login_required
def enroll_page():
    source = request.form if request.method == "POST" else request.args
    selection = Selection(source)
    if request.method == "GET":
        return _form(selection)
    values = {k: request.form.get(k, "") for k in ("sequence_id", "mailbox_id", "start_at")}
    try:
        sequence_id = request.form.get("sequence_id", type=int)
        if sequence_id is None:
            raise Invalid(tr("Choose a sequence."))
        mailbox_id = request.form.get("mailbox_id", type=int)
        start_at = parse_start(request.form.get("start_at", ""))
        ids = selection.resolve()
        if not ids:
            raise Invalid(tr("No prospects selected."))
        sequence = load_sequence(db.session, sequence_id)
        if len(ids) > 1 and request.form.get("confirmed") != "1":  # a mass enrolment: the numbers first
            check = estimate(db.session, sequence, ids, actor=current_user, now=clock.now(), mailbox_id=mailbox_id)
            return _form(selection, values=values, check=check)
        result = enroll(db.session, sequence, ids, actor=current_user, now=clock.now(),
                        mailbox_id=mailbox_id, start_at=start_at)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _form(selection, error=exc.message, status=http_status(exc), values=values)
    skipped_ids = [pid for pid, _ in result.skipped[:SHOWN_SKIPS]]
    names = {p.id: p for p in db.session.scalars(select(Prospect).where(Prospect.id.in_(skipped_ids)))} \
        if skipped_ids else {}
    by_reason: dict[str, int] = {}
    for _pid, reason in result.skipped:
        by_reason[reason] = by_reason.get(reason, 0) + 1
    return render_template("web/outreach/enroll_result.html", sequence=sequence, result=result, names=names,
                           by_reason=sorted(by_reason.items(), key=lambda r: -r[1]), shown=SHOWN_SKIPS,
                           single=ids[0] if len(ids) == 1 else None, back=selection)


# ---- one enrolment's buttons ------------------------------------------------------------------

def _enrollment(enrollment_id: int) -> Enrollment:
    enrollment = db.session.get(Enrollment, enrollment_id) or abort(404, _("No such enrolment."))
    if not may_manage_enrollment(current_user, enrollment):
        abort(403, _("Reps can change only their own enrolments."))
    return enrollment


def _act(enrollment: Enrollment, action, done: str):
    try:
        action()
        db.session.commit()
    except DomainError as exc:
        flash_refusal(exc, f"{enrollment.sequence.name}: ")
    else:
        flash(_("%(sequence)s: %(done)s.", sequence=enrollment.sequence.name, done=done), "success")
    return redirect(url_for("web.prospect_detail", prospect_id=enrollment.prospect_id))


@web_bp.post("/enrollments/<int:enrollment_id>/pause")
@login_required
def enrollment_pause(enrollment_id: int):
    enrollment = _enrollment(enrollment_id)
    raw = request.form.get("until", "").strip()
    until = None
    if raw:
        try:  # the start of that day where the prospect is
            until = datetime.combine(datetime.strptime(raw, "%Y-%m-%d").date(), time(0),
                                     zone(enrollment.prospect.timezone, viewer_zone().key))
        except ValueError:
            until = None
        if until is None or not in_window(until):
            flash(_("Pause until: use a date like 2026-03-02 (it %(rule)s).", rule=say(WINDOW)), "error")
            return redirect(url_for("web.prospect_detail", prospect_id=enrollment.prospect_id))
    done = _("paused until %(date)s", date=when(until, "%d %b %Y")) if until else _("paused")
    return _act(enrollment, lambda: pause(db.session, enrollment, clock.now(), until=until), done)


@web_bp.post("/enrollments/<int:enrollment_id>/resume")
@login_required
def enrollment_resume(enrollment_id: int):
    enrollment = _enrollment(enrollment_id)
    return _act(enrollment, lambda: resume(db.session, enrollment, clock.now()), _("resumed"))


@web_bp.post("/enrollments/<int:enrollment_id>/exit")
@login_required
def enrollment_exit(enrollment_id: int):
    enrollment = _enrollment(enrollment_id)
    reason = request.form.get("reason", "manual")
    if reason not in EXIT_REASONS:
        reason = "manual"
    return _act(enrollment, lambda: exit_enrollment(db.session, enrollment, clock.now(), reason),
                _("exited (%(reason)s)", reason=str(EXIT_REASONS[reason]).lower()))
