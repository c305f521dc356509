"""One-off emails from the API: the same service as the prospect page, sent by the same job."""
from __future__ import annotations

from flask import current_app, jsonify
from sqlalchemy import select

from sequencer.accounts.permissions import ALL_ROLES, may_edit_prospect
from sequencer.api import api_bp
from sequencer.api.common import current_api_user, load_json, require_roles
from sequencer.api.errors import ApiError
from sequencer.api.one_off_schemas import OneOffEmailInSchema, OneOffEmailSchema
from sequencer.api.pagination import fetch, page_args, paged_response, paginated
from sequencer.errors import Forbidden
from sequencer.extensions import db, redis_store
from sequencer.mail import one_off
from sequencer.models import OneOffEmail, Prospect
from sequencer.platform import clock


def _prospect(prospect_id: int) -> Prospect:
    prospect = db.session.get(Prospect, prospect_id)
    if prospect is None:
        raise ApiError(404, "not_found", f"no prospect {prospect_id}")
    return prospect


@api_bp.post("/prospects/<int:prospect_id>/emails")
@require_roles(*ALL_ROLES)
def send_one_off_endpoint(prospect_id: int):
    """Send a one-off email.
    ---
    post:
      summary: Write to one prospect outside any sequence (reps to their own prospects, from their own mailboxes)
      description: >-
        Checked at once (422 naming the field, 409 when the prospect may not be emailed: unsubscribed, bounced,
        suppressed …), then sent by a job at most once: poll the row with GET to see it `sent`.
      tags: [Prospects]
      requestBody: {required: true, content: {application/json: {schema: OneOffEmailInSchema}}}
      responses:
        202: {content: {application/json: {schema: OneOffEmailSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    prospect = _prospect(prospect_id)
    data = load_json(OneOffEmailInSchema())
    row = one_off.create(db.session, prospect, current_api_user(), data["mailbox_id"], data["subject"], data["body"],
                         base_url=current_app.config["BASE_URL"], secret=current_app.config["SECRET_KEY"],
                         now=clock.now())
    db.session.commit()
    one_off.enqueue(redis_store.connection(current_app), row.id)
    return jsonify(OneOffEmailSchema().dump(row)), 202


@api_bp.get("/prospects/<int:prospect_id>/emails")
@paginated
@require_roles(*ALL_ROLES)
def list_one_offs_endpoint(prospect_id: int):
    """List a prospect's one-off emails.
    ---
    get:
      summary: The one-off emails written to this prospect, newest first (reps for their own prospects)
      tags: [Prospects]
      responses:
        200: {content: {application/json: {schema: {type: array, items: OneOffEmailSchema}}}}
    """
    prospect = _prospect(prospect_id)
    if not may_edit_prospect(current_api_user(), prospect):
        raise Forbidden("reps see their own prospects' emails")
    page = page_args()
    rows, total = fetch(db.session, select(OneOffEmail).where(OneOffEmail.prospect_id == prospect.id)
                        .order_by(OneOffEmail.created_at.desc(), OneOffEmail.id.desc()), page)
    return paged_response(OneOffEmailSchema(many=True).dump(rows), page, total)
