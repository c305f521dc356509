"""The import flow in the UI: upload → confirm the mapping and options → progress → result,
then enrol the imported prospects; bad rows are listed with reasons and download as CSV."""
from __future__ import annotations

from itertools import islice
from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _, lazy_gettext, ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from sequencer.accounts.permissions import is_rep
from sequencer.errors import DomainError, http_status
from sequencer.extensions import db, redis_store
from sequencer.models import (
    ImportStatus,
    ProspectImport,
    Sequence,
    SequenceStatus,
    User,
)
from sequencer.outreach.enrol import sendable_mailboxes
from sequencer.people.csv_import.launch import launch
from sequencer.people.csv_import.mapping import CUSTOM, TARGETS
from sequencer.people.csv_import.reading import UnreadableFile, records
from sequencer.people.csv_import.runner import discard_upload, enroll_imported
from sequencer.people.csv_import.service import (
    confirm,
    error_report,
    issues_page,
    start_import,
    upload_dir,
)
from sequencer.platform import clock
from sequencer.web import web_bp
from sequencer.web.refusals import flash_refusal
from sequencer.web.stored_texts import said

DUPLICATE_CHOICES = [("update_empty", lazy_gettext("Fill in their empty fields")),
                     ("overwrite", lazy_gettext("Overwrite with the file's values")),
                     ("skip", lazy_gettext("Leave them as they are (skip the row)"))]


web_bp.add_app_template_filter(said, "said")


def _load(import_id: int) -> ProspectImport:
    imp = db.session.get(ProspectImport, import_id)
    if imp is None:
        abort(404, _("No such import."))
    if is_rep(current_user) and imp.user_id != current_user.id:
        abort(404, _("No such import."))
    return imp


def _choices() -> dict:
    return {
        "sequences": db.session.scalars(select(Sequence).where(Sequence.status == SequenceStatus.ACTIVE)
                                        .order_by(Sequence.name)).all(),
        "mailboxes": sendable_mailboxes(db.session, current_user),
        "reps": db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)).all(),
    }


SAMPLE = Path(__file__).resolve().parent.parent / "demo" / "sample_import.csv"


@web_bp.get("/prospects/import/sample.csv")
@login_required
def import_sample():
    """A messy Sales Navigator-style export to try the import with (semicolons, BOM, bad rows)."""
    return send_file(SAMPLE, mimetype="text/csv", as_attachment=True, download_name="sales-navigator-sample.csv")


@web_bp.route("/prospects/import", methods=["GET", "POST"])
@login_required
def import_upload():
    error = None
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            error = _("Choose a CSV file to upload.")
        else:
            try:
                imp = start_import(db.session, upload.stream, upload.filename, current_user,
                                   upload_dir(current_app.config["INSTANCE_PATH"]))
                db.session.commit()
                return redirect(url_for("web.import_mapping", import_id=imp.id))
            except DomainError as exc:
                db.session.rollback()
                error = exc.details[0]["message"] if exc.details else exc.message
    recent = select(ProspectImport).order_by(ProspectImport.id.desc()).limit(10)
    if is_rep(current_user):
        recent = recent.where(ProspectImport.user_id == current_user.id)
    return render_template("web/people/import_upload.html", error=error, recent=db.session.scalars(recent).all()), \
        422 if error else 200


def _samples(imp: ProspectImport, n: int = 3) -> list[list[str]]:
    if not imp.path:
        return []
    try:
        return [r.cells for r in islice(records(imp.path, imp.encoding, imp.delimiter), 1, n + 1)]
    except (UnreadableFile, OSError):
        return []


def _mapping_page(imp: ProspectImport, errors: dict | None = None, status: int = 200, values: dict | None = None):
    samples = _samples(imp)
    columns = [{"index": str(i), "name": name, "target": imp.mapping.get(str(i), ""),
                "samples": [row[i] for row in samples if i < len(row) and row[i].strip()]}
               for i, name in enumerate(imp.header)]
    return render_template("web/people/import_mapping.html", imp=imp, columns=columns, targets=TARGETS, custom=CUSTOM,
                           errors=errors or {}, values=values or imp.options, duplicate_choices=DUPLICATE_CHOICES,
                           **_choices()), status


@web_bp.route("/imports/<int:import_id>/mapping", methods=["GET", "POST"])
@login_required
def import_mapping(import_id: int):
    imp = _load(import_id)
    if imp.status != ImportStatus.MAPPING:
        return redirect(url_for("web.import_detail", import_id=imp.id))
    if request.method == "GET":
        return _mapping_page(imp)
    form = request.form
    mapping = {str(i): form.get(f"col-{i}", "") for i in range(len(imp.header))}
    options = {"on_duplicate": form.get("on_duplicate"), "owner_ids": form.getlist("owner_ids"),
               "activity_kind": form.get("activity_kind"), "activity_at": form.get("activity_at"),
               "activity_title": form.get("activity_title"),
               "sequence_id": form.get("sequence_id"), "mailbox_id": form.get("mailbox_id")}
    if is_rep(current_user):
        options["owner_ids"] = [current_user.id]
    try:
        confirm(db.session, imp, mapping, options, current_user)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        imp = _load(import_id)
        imp.mapping = mapping  # show what they chose, not what was stored
        errors = {d["field"]: d["message"] for d in exc.details} or {"": exc.message}
        page = _mapping_page(imp, errors, http_status(exc) if http_status(exc) != 409 else 422, options)
        db.session.rollback()
        return page
    launch(db.session, imp, redis_store.connection())
    return redirect(url_for("web.import_detail", import_id=imp.id))


@web_bp.post("/imports/<int:import_id>/cancel")
@login_required
def import_cancel(import_id: int):
    imp = _load(import_id)
    if imp.status == ImportStatus.MAPPING:
        discard_upload(imp)
        db.session.delete(imp)
        db.session.commit()
        flash(_("Import cancelled; the file was deleted."), "success")
    return redirect(url_for("web.import_upload"))


@web_bp.get("/imports/<int:import_id>")
@login_required
def import_detail(import_id: int):
    imp = _load(import_id)
    kind = request.args.get("kind") or None
    issues = [i for i in issues_page(db.session, imp, 500) if kind is None or i.kind == kind]
    return render_template("web/people/import_detail.html", imp=imp, issues=issues, kind=kind, **_choices())


@web_bp.get("/imports/<int:import_id>/progress")
@login_required
def import_progress(import_id: int):
    """Polled by htmx while the worker runs; once finished, the whole page reloads with the result."""
    imp = _load(import_id)
    if imp.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return Response("", headers={"HX-Redirect": url_for("web.import_detail", import_id=imp.id)})
    return render_template("web/people/_import_progress.html", imp=imp)


@web_bp.get("/imports/<int:import_id>/problems.csv")
@login_required
def import_problems_csv(import_id: int):
    imp = _load(import_id)
    return Response(error_report(db.session, imp), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="import-{imp.id}-problems.csv"'})


@web_bp.post("/imports/<int:import_id>/enroll")
@login_required
def import_enroll(import_id: int):
    imp = _load(import_id)
    sequence = db.session.get(Sequence, request.form.get("sequence_id", type=int) or 0)
    if imp.status != ImportStatus.DONE or sequence is None:
        flash(_("Choose a sequence to enrol the imported prospects into."), "error")
        return redirect(url_for("web.import_detail", import_id=imp.id))
    mailbox_id = request.form.get("mailbox_id", type=int)  # enrol() applies the sending-mailbox rule
    try:
        count = enroll_imported(db.session, imp, sequence, current_user, clock.now(), mailbox_id)
        imp.enrolled_count += count
        db.session.commit()
    except DomainError as exc:
        flash_refusal(exc)
        return redirect(url_for("web.import_detail", import_id=imp.id))
    if count == imp.created_count + imp.updated_count:
        message = ngettext("Enrolled %(num)d prospect in %(name)s.", "Enrolled %(num)d prospects in %(name)s.", count,
                           name=sequence.name)
    else:
        message = ngettext("Enrolled %(num)d prospect in %(name)s (the others were suppressed, already enrolled or "
                           "not active).", "Enrolled %(num)d prospects in %(name)s (the others were suppressed, "
                           "already enrolled or not active).", count, name=sequence.name)
    flash(message, "success")
    return redirect(url_for("web.import_detail", import_id=imp.id))
