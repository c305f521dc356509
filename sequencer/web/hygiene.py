"""Data hygiene pages: likely duplicates and merging, the suppression list, GDPR erasure."""
from __future__ import annotations

import os
import tempfile

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select

from sequencer.accounts.permissions import may_suppress_domains
from sequencer.errors import DomainError
from sequencer.extensions import db
from sequencer.models import Prospect, Suppression
from sequencer.models.crm import SuppressionKind
from sequencer.people.duplicates import likely_duplicates, merge_prospects
from sequencer.people.erasure import erase_prospect
from sequencer.people.suppression.admin import ADDABLE, REASONS, add_entries, import_entries, remove_entry
from sequencer.platform import clock
from sequencer.web import web_bp
from sequencer.web.access import MANAGERS, roles_required
from sequencer.web.refusals import flash_refusal

PER_PAGE = 100


@web_bp.get("/prospects/duplicates")
@roles_required(*MANAGERS)
def duplicates():
    pairs = likely_duplicates(db.session)
    return render_template("web/people/duplicates.html", pairs=pairs)


@web_bp.post("/prospects/merge")
@roles_required(*MANAGERS)
def merge():
    keep_id = request.form.get("keep_id", type=int) or 0
    pair = [int(i) for i in request.form.get("pair", "").split(",") if i.strip().isdigit()]
    drop_id = next((i for i in pair if i != keep_id), 0) if keep_id in pair else 0
    keep, drop = db.session.get(Prospect, keep_id), db.session.get(Prospect, drop_id)
    if keep is None or drop is None:
        abort(404, _("No such prospect."))
    try:
        merge_prospects(db.session, keep, drop, current_user, clock.now())
        db.session.commit()
    except DomainError as exc:
        flash_refusal(exc)
        return redirect(url_for("web.duplicates"))
    flash(_("Merged into %(name)s: enrolments, activity and tasks kept.", name=keep.name), "success")
    return redirect(url_for("web.duplicates"))


@web_bp.post("/prospects/<int:prospect_id>/erase")
@roles_required(*MANAGERS)
def prospect_erase(prospect_id: int):
    prospect = db.session.get(Prospect, prospect_id) or abort(404, _("No such prospect."))
    if request.form.get("confirm_email", "").strip().lower() != prospect.email_normalized:
        flash(_("Type the prospect's email address to confirm the erasure."), "error")
        return redirect(url_for("web.prospect_detail", prospect_id=prospect_id))
    erase_prospect(db.session, prospect, current_user, clock.now(), current_app.config.get("OUTBOX_DIR"))
    db.session.commit()
    flash(_("Erased. Only a hash of the address remains, so they are never imported or contacted again."), "success")
    return redirect(url_for("web.prospects"))


@web_bp.route("/suppressions", methods=["GET", "POST"])
@login_required
def suppressions():
    if request.method == "POST":
        reason = request.form.get("reason", "")
        if reason not in ADDABLE:
            reason = "do_not_contact"
        upload = request.files.get("file")
        try:
            if upload is not None and upload.filename:
                fd, path = tempfile.mkstemp(suffix=".csv")
                try:
                    with os.fdopen(fd, "wb") as out:
                        upload.save(out)
                    result = import_entries(db.session, path, reason, clock.now(), actor=current_user)
                finally:
                    os.remove(path)
            else:
                lines = request.form.get("entries", "").splitlines()
                result = add_entries(db.session, [(i + 1, v) for i, v in enumerate(lines) if v.strip()], reason,
                                     clock.now(), note=request.form.get("note") or None, actor=current_user)
            db.session.commit()
        except DomainError as exc:
            flash_refusal(exc)
            return redirect(url_for("web.suppressions"))
        message = _("Added %(added)d; %(already)d were already listed", added=result.added, already=result.already)
        if result.stopped:
            message += "; " + ngettext("stopped %(num)d active enrolment", "stopped %(num)d active enrolments",
                                       result.stopped)
        flash(message + ".", "success")
        if result.invalid:
            flash(_("Not an email or domain:") + " " + ", ".join(_("line %(line)s (%(value)s)", line=n, value=v[:40])
                                                               for n, v in result.invalid[:10]), "error")
        return redirect(url_for("web.suppressions"))
    q = (request.args.get("q") or "").strip().lower()
    stmt = select(Suppression).order_by(Suppression.created_at.desc(), Suppression.id.desc())
    if q:
        stmt = stmt.where(Suppression.value.contains(q, autoescape=True))
    rows = db.session.scalars(stmt.limit(PER_PAGE)).all()
    counts = dict(db.session.execute(select(Suppression.kind, func.count()).group_by(Suppression.kind)).all())
    return render_template("web/people/suppressions.html", rows=rows, q=q, reasons=REASONS, addable=ADDABLE,
                           counts=counts, kinds=SuppressionKind, domains=may_suppress_domains(current_user))


@web_bp.post("/suppressions/<int:suppression_id>/delete")
@roles_required(*MANAGERS)
def suppression_delete(suppression_id: int):
    try:
        remove_entry(db.session, suppression_id, actor=current_user)
        db.session.commit()
        flash(_("Removed from the suppression list."), "success")
    except DomainError as exc:
        flash_refusal(exc)
    return redirect(url_for("web.suppressions"))
