"""Prospect CSV import over the API: upload (mapping given or guessed), then poll for the result."""
from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, jsonify, request, url_for

from sequencer.accounts.permissions import is_rep
from sequencer.api import api_bp
from sequencer.api.common import current_api_user
from sequencer.api.dump_fields import With
from sequencer.api.errors import ApiError
from sequencer.api.import_schemas import ImportSchema
from sequencer.extensions import db, redis_store
from sequencer.models import ProspectImport
from sequencer.people.csv_import.launch import launch
from sequencer.people.csv_import.runner import discard_upload
from sequencer.people.csv_import.service import (
    confirm,
    error_report,
    issues_page,
    start_import,
    upload_dir,
)


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "validation_error", f"{field}: {message}", [{"field": field, "message": message}])


def _mapping(raw: str | None, header: list[str]) -> dict | None:
    """Keys may be header names or 0-based indexes."""
    if not raw:
        return None
    try:
        given = json.loads(raw)
    except ValueError:
        raise _invalid("mapping", "must be a JSON object") from None
    if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
        raise _invalid("mapping", "must be a JSON object of strings")
    out = {}
    for key, target in given.items():
        if key in header:
            out[str(header.index(key))] = target
        elif str(key).isdigit():
            out[str(key)] = target
        else:
            raise _invalid(f"mapping.{key}", "no such column in the header")
    return out


def _load(import_id: int) -> ProspectImport:
    imp = db.session.get(ProspectImport, import_id)
    user = current_api_user()
    if imp is None or (is_rep(user) and imp.user_id != user.id):
        raise ApiError(404, "not_found", f"no import {import_id}")
    return imp


def _body(imp: ProspectImport) -> dict:
    url = url_for("api.import_errors_endpoint", import_id=imp.id, _external=True)
    return ImportSchema().dump(With(imp, issues=issues_page(db.session, imp), error_report_url=url))


@api_bp.post("/prospects/import")
def import_prospects_endpoint():
    """Import prospects from a CSV.
    ---
    post:
      summary: Upload a CSV of prospects (any role; a rep's imports are their own)
      description: >-
        Encoding and delimiter are detected. Good rows import while bad ones are reported with line,
        column and reason; nothing is half-imported. Small files finish within the call, larger ones
        run on a worker: poll `GET /api/v1/imports/{id}` (the `Location` header). When the job queue (Redis)
        can't be reached the import is stored with status `waiting` and `error` saying why; it starts by itself
        once Redis answers again. NUL and other control characters are dropped from cells; a UTF-8 file with
        some lines in an older code page is read line by line (`encoding` is then e.g. `utf-8/cp1252`).
      tags: [Prospects]
      requestBody: {required: true, content: {multipart/form-data: {schema: ImportUploadSchema}}}
      responses:
        202: {content: {application/json: {schema: ImportSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise _invalid("file", "attach the CSV as multipart field `file`")
    user = current_api_user()
    form = request.form
    options: dict[str, Any] = {k: form.get(k) for k in ("on_duplicate", "sequence_id", "mailbox_id", "activity_kind", "activity_at", "activity_title")
                               if form.get(k)}
    if form.get("owner_ids"):
        options["owner_ids"] = [i.strip() for i in form["owner_ids"].split(",")]
    imp = start_import(db.session, upload.stream, upload.filename, user,
                       upload_dir(current_app.config["INSTANCE_PATH"]))
    try:
        confirm(db.session, imp, _mapping(form.get("mapping"), imp.header), options, user)
    except ApiError:
        db.session.rollback()
        discard_upload(imp)
        raise
    db.session.commit()
    launch(db.session, imp, redis_store.connection())
    response = jsonify(_body(imp))
    response.status_code = 202
    response.headers["Location"] = url_for("api.get_import_endpoint", import_id=imp.id)
    return response


@api_bp.get("/imports/<int:import_id>")
def get_import_endpoint(import_id: int):
    """An import's progress and result.
    ---
    get:
      summary: Progress (percent, rows so far) and, when done, counts and the rows not imported
      tags: [Prospects]
      responses:
        200: {content: {application/json: {schema: ImportSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    return jsonify(_body(_load(import_id)))


@api_bp.get("/imports/<int:import_id>/errors.csv")
def import_errors_endpoint(import_id: int):
    """The rows an import did not take, as CSV.
    ---
    get:
      summary: Every row not imported, with its original cells plus line, kind, column and reason
      description: Cells starting with `=`, `+`, `-` or `@` get a leading apostrophe (no formula injection).
      tags: [Prospects]
      responses:
        200: {content: {text/csv: {schema: {type: string}}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    imp = _load(import_id)
    return Response(error_report(db.session, imp), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="import-{imp.id}-problems.csv"'})
