"""Inbound mail over HTTP: providers' inbound webhooks post the raw message; admins read what arrived."""
from __future__ import annotations

from flask import g, jsonify, request
from sqlalchemy import select

from sequencer.accounts.permissions import MANAGERS, is_admin
from sequencer.api import api_bp
from sequencer.api.common import require_roles
from sequencer.api.errors import ApiError
from sequencer.api.pagination import fetch, page_args, paged_response, paginated
from sequencer.api.schemas import InboundMessageSchema, InboundResultSchema
from sequencer.extensions import db
from sequencer.inbound.service import ingest
from sequencer.models import InboundMessage
from sequencer.models.inbound import InboundStatus
from sequencer.platform import clock


def _allowed() -> None:
    """A bearer token of an admin, or the shared `X-Inbound-Secret` (checked in authenticate)."""
    if not g.get("inbound_secret_ok") and not is_admin(g.api_user):
        raise ApiError(403, "forbidden", "requires role admin or the inbound secret")


@api_bp.post("/inbound")
def inbound_endpoint():
    """Ingest one raw message.
    ---
    post:
      summary: Ingest one raw RFC 5322 message (an admin's token or X-Inbound-Secret)
      description: >-
        The body is the message exactly as received. It is stored before anything else happens
        (messages over 25 MiB are stored truncated), then classified and acted on once per
        Message-ID: posting the same message again returns the first outcome with `duplicate: true`.
      tags: [Inbound]
      requestBody:
        required: true
        content:
          message/rfc822:
            schema: {type: string, format: binary}
      responses:
        200: {content: {application/json: {schema: InboundResultSchema}}}
        401: {content: {application/json: {schema: ErrorSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    _allowed()
    raw = request.get_data(cache=False)
    if not raw.strip():
        raise ApiError(422, "validation_error", "the body must be a raw RFC 5322 message",
                       [{"field": "body", "message": "empty"}])
    result = ingest(db.session, raw, source="api", now=clock.now())
    return jsonify(InboundResultSchema().dump(result))


@api_bp.get("/inbound")
@paginated
@require_roles(*MANAGERS)
def list_inbound_endpoint():
    """List stored inbound messages.
    ---
    get:
      summary: Stored inbound messages, newest first (admins and managers)
      tags: [Inbound]
      parameters:
        - {in: query, name: classification, schema: {type: string}}
        - {in: query, name: status, schema: {type: string, enum: [received, processing, processed, unparsed, error]}}
      responses:
        200:
          content:
            application/json:
              schema:
                type: array
                items: InboundMessageSchema
    """
    query = select(InboundMessage)
    if request.args.get("classification"):
        query = query.where(InboundMessage.classification == request.args["classification"])
    if request.args.get("status"):
        try:
            query = query.where(InboundMessage.status == InboundStatus(request.args["status"]))
        except ValueError:
            raise ApiError(422, "validation_error", "status: unknown value",
                           [{"field": "status", "message": "unknown value"}]) from None
    page = page_args()
    rows, total = fetch(db.session, query.order_by(InboundMessage.id.desc()), page)
    return paged_response(InboundMessageSchema(many=True, exclude=("text",)).dump(rows), page, total)


@api_bp.get("/inbound/<int:inbound_id>")
@require_roles(*MANAGERS)
def get_inbound_endpoint(inbound_id: int):
    """One stored inbound message.
    ---
    get:
      summary: One stored inbound message with why it was classified so (admins and managers)
      tags: [Inbound]
      responses:
        200:
          content:
            application/json:
              schema: InboundMessageSchema
        404:
          content:
            application/json:
              schema: ErrorSchema
    """
    row = db.session.get(InboundMessage, inbound_id)
    if row is None:
        raise ApiError(404, "not_found", "no such inbound message")
    return jsonify(InboundMessageSchema().dump(row))
