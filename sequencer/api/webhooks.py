"""Webhook endpoints (managers and admins) and the change feed: parse → call sequencer.webhooks → serialise."""
from __future__ import annotations

from flask import current_app, jsonify, request
from marshmallow import Schema, fields

from sequencer.accounts.permissions import MANAGERS
from sequencer.api import api_bp
from sequencer.api.common import current_api_user, load_json, require_roles
from sequencer.api.errors import ApiError
from sequencer.api.pagination import count, page_args, paged_response, paginated
from sequencer.api.webhook_schemas import WebhookCreatedSchema, WebhookDeliverySchema, WebhookInSchema, WebhookSchema
from sequencer.extensions import db
from sequencer.platform import clock
from sequencer.platform.security import SecretBox
from sequencer.webhooks import endpoints, feed, log
from sequencer.webhooks.guard import AllowList


def _allow() -> AllowList:
    return AllowList.parse(current_app.config.get("WEBHOOK_ALLOWED_PRIVATE"))


def _box() -> SecretBox:
    return SecretBox(current_app.config["SECRET_KEY"])


@api_bp.post("/webhooks")
@require_roles(*MANAGERS)
def create_webhook_endpoint():
    """Add a webhook endpoint.
    ---
    post:
      summary: Add an endpoint (managers, admins); the answer carries its secret, shown this once
      tags: [Webhooks]
      requestBody: {required: true, content: {application/json: {schema: WebhookInSchema}}}
      responses:
        201: {content: {application/json: {schema: WebhookCreatedSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(WebhookInSchema())
    endpoint, secret = endpoints.create(db.session, current_api_user(), data, _allow(), _box(), clock.now())
    db.session.commit()
    return jsonify({**WebhookCreatedSchema().dump(endpoint), "secret": secret}), 201


@api_bp.get("/webhooks")
@require_roles(*MANAGERS)
def list_webhooks_endpoint():
    """List webhook endpoints.
    ---
    get:
      summary: Every webhook endpoint (managers, admins); secrets are never shown again
      tags: [Webhooks]
      responses:
        200: {content: {application/json: {schema: {type: array, items: WebhookSchema}}}}
    """
    return jsonify(WebhookSchema(many=True).dump(endpoints.listing(db.session, current_api_user())))


@api_bp.get("/webhooks/<int:webhook_id>")
@require_roles(*MANAGERS)
def get_webhook_endpoint(webhook_id: int):
    """One webhook endpoint.
    ---
    get:
      summary: One webhook endpoint (managers, admins)
      tags: [Webhooks]
      responses:
        200: {content: {application/json: {schema: WebhookSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    return jsonify(WebhookSchema().dump(endpoints.get(db.session, current_api_user(), webhook_id)))


@api_bp.patch("/webhooks/<int:webhook_id>")
@require_roles(*MANAGERS)
def update_webhook_endpoint(webhook_id: int):
    """Change a webhook endpoint.
    ---
    patch:
      summary: Change the URL, events, description or enabled (managers, admins)
      description: Enabling a disabled endpoint clears its failure state; it gets the events from then on.
      tags: [Webhooks]
      requestBody: {required: true, content: {application/json: {schema: WebhookInSchema}}}
      responses:
        200: {content: {application/json: {schema: WebhookSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(WebhookInSchema(partial=True))
    sent = request.get_json(silent=True) or {}
    data = {k: v for k, v in data.items() if k in sent}  # defaults of omitted fields change nothing
    endpoint = endpoints.update(db.session, current_api_user(), webhook_id, data, _allow())
    db.session.commit()
    return jsonify(WebhookSchema().dump(endpoint))


@api_bp.delete("/webhooks/<int:webhook_id>")
@require_roles(*MANAGERS)
def delete_webhook_endpoint(webhook_id: int):
    """Delete a webhook endpoint.
    ---
    delete:
      summary: Delete an endpoint and its delivery log (managers, admins)
      tags: [Webhooks]
      responses:
        204: {description: Deleted}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    endpoints.delete(db.session, current_api_user(), webhook_id)
    db.session.commit()
    return "", 204


@api_bp.post("/webhooks/<int:webhook_id>/rotate-secret")
@require_roles(*MANAGERS)
def rotate_webhook_secret_endpoint(webhook_id: int):
    """Rotate an endpoint's secret.
    ---
    post:
      summary: A new secret, shown this once; the old one keeps signing beside it for 24 hours
      tags: [Webhooks]
      responses:
        200: {content: {application/json: {schema: WebhookCreatedSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    endpoint, secret = endpoints.rotate(db.session, current_api_user(), webhook_id, _box(), clock.now())
    db.session.commit()
    return jsonify({**WebhookCreatedSchema().dump(endpoint), "secret": secret})


class DeliveryQuerySchema(Schema):
    status = fields.String(load_default=None)
    type = fields.String(load_default=None)
    since = fields.AwareDateTime(load_default=None)
    until = fields.AwareDateTime(load_default=None)


@api_bp.get("/webhooks/<int:webhook_id>/deliveries")
@require_roles(*MANAGERS)
@paginated
def list_webhook_deliveries_endpoint(webhook_id: int):
    """An endpoint's deliveries, newest first.
    ---
    get:
      summary: Deliveries with every attempt (status, latency, response body truncated); filter by status, type, time
      tags: [Webhooks]
      parameters:
      - {name: status, in: query, schema: {type: string, enum: [pending, delivered, failed]}}
      - {name: type, in: query, schema: {type: string}}
      - {name: since, in: query, schema: {type: string, format: date-time}}
      - {name: until, in: query, schema: {type: string, format: date-time}}
      responses:
        200: {content: {application/json: {schema: {type: array, items: WebhookDeliverySchema}}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    args = _query(DeliveryQuerySchema())
    query = log.deliveries_query(db.session, current_api_user(), webhook_id, args["status"], args["type"],
                                 args["since"], args["until"])
    page = page_args()
    rows = [(d, e) for d, e in db.session.execute(page.cut(query))]
    attempts = log.attempts_of(db.session, [d.id for d, _ in rows])
    items = [log.as_dict(d, e, attempts[d.id]) for d, e in rows]
    return paged_response(WebhookDeliverySchema(many=True).dump(items), page, count(db.session, query))


@api_bp.post("/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/replay")
@require_roles(*MANAGERS)
def replay_webhook_delivery_endpoint(webhook_id: int, delivery_id: int):
    """Send one delivery again.
    ---
    post:
      summary: Queue the delivery again at once, with the same webhook-id (receivers deduplicate on it)
      tags: [Webhooks]
      responses:
        202: {content: {application/json: {schema: WebhookDeliverySchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    delivery = log.replay(db.session, current_api_user(), webhook_id, delivery_id, clock.now())
    db.session.commit()
    (row,) = db.session.execute(log.deliveries_query(db.session, current_api_user(), webhook_id)
                                .where(log.WebhookDelivery.id == delivery.id))
    attempts = log.attempts_of(db.session, [delivery.id])[delivery.id]
    return jsonify(WebhookDeliverySchema().dump(log.as_dict(row[0], row[1], attempts))), 202


def _query(schema: Schema) -> dict:
    from marshmallow import ValidationError

    try:
        return schema.load(request.args.to_dict())
    except ValidationError as exc:
        details = [{"field": k, "message": "; ".join(v) if isinstance(v, list) else str(v)}
                   for k, v in exc.messages.items()]  # type: ignore[union-attr]
        raise ApiError(422, "validation_error", "invalid query parameters", details) from None


class FeedQuerySchema(Schema):
    after = fields.String(load_default=None)
    types = fields.String(load_default=None)
    limit = fields.Integer(load_default=100)


@api_bp.get("/events")
@require_roles(*MANAGERS)
def change_feed_endpoint():
    """The change feed.
    ---
    get:
      summary: The webhook events in commit order after a cursor, for integrations that pull
      description: >-
        Pass `next` back as `after`; a page never skips or repeats an event, even while writers commit.
        `types` is a comma-separated list of types or `family.*`. An empty page still returns a `next`.
      tags: [Webhooks]
      parameters:
      - {name: after, in: query, schema: {type: string}}
      - {name: types, in: query, schema: {type: string}}
      - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 1000, default: 100}}
      responses:
        200: {content: {application/json: {schema: FeedSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    args = _query(FeedQuerySchema())
    feed.settle(db.session)
    db.session.commit()  # positions are given and published before this page is read
    return jsonify(feed.page(db.session, args["after"], args["types"], args["limit"]))
