"""Webhook endpoints, their deliveries and the change feed as the API shows them (the OpenAPI components)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from sequencer.api.dump_fields import UtcDateTime
from sequencer.webhooks.catalogue import TYPES

EVENTS_HELP = ("event types from the catalogue, `family.*` (e.g. `deal.*`) or `*`; catalogue: " + ", ".join(TYPES))


class WebhookInSchema(Schema):
    url = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                        metadata={"description": "https:// only, unless the host is in WEBHOOK_ALLOWED_PRIVATE"})
    events = fields.List(fields.String(), required=True, metadata={"description": EVENTS_HELP})
    description = fields.String(load_default="", validate=validate.Length(max=500))
    enabled = fields.Boolean(load_default=True)


class WebhookSchema(Schema):
    id = fields.Integer()
    url = fields.String()
    events = fields.List(fields.String())
    description = fields.String()
    enabled = fields.Boolean()
    disabled_reason = fields.String(allow_none=True)
    failing_since = UtcDateTime(allow_none=True)
    secret_rotated_until = UtcDateTime(allow_none=True, attribute="previous_expires_at",
                                       metadata={"description": "the previous secret also signs until then"})
    owner_id = fields.Integer(allow_none=True)
    created_at = UtcDateTime()


class WebhookCreatedSchema(WebhookSchema):
    secret = fields.String(metadata={"description": "`whsec_…`: shown this once, never again"})


class WebhookAttemptSchema(Schema):
    at = UtcDateTime()
    status_code = fields.Integer(allow_none=True)
    latency_ms = fields.Integer()
    response_body = fields.String(allow_none=True, metadata={"description": "the first 2,000 characters"})
    error = fields.String(allow_none=True)
    request_headers = fields.Dict(keys=fields.String(), values=fields.String())


class WebhookDeliverySchema(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    type = fields.String()
    status = fields.String(metadata={"enum": ["pending", "delivered", "failed"]})
    attempts = fields.List(fields.Nested(WebhookAttemptSchema))
    next_attempt_at = UtcDateTime(allow_none=True)
    delivered_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()


class FeedEventSchema(Schema):
    id = fields.Integer()
    type = fields.String(metadata={"enum": list(TYPES)})
    timestamp = fields.String(metadata={"description": "ISO 8601, UTC"})
    data = fields.Dict(metadata={"description": "the event's object (see the README's Webhooks section)"})


class FeedSchema(Schema):
    events = fields.List(fields.Nested(FeedEventSchema))
    next = fields.String(metadata={"description": "pass as `after` for the next page (also when events is empty)"})
