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


class WebhookProspectPayloadSchema(Schema):
    """`data` of prospect.created|updated|owner_changed|unsubscribed|bounced|complained."""

    id = fields.Integer()
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    title = fields.String(allow_none=True)
    company_id = fields.Integer(allow_none=True)
    persona_id = fields.Integer(allow_none=True)
    phone = fields.String(allow_none=True)
    linkedin_url = fields.String(allow_none=True)
    timezone = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    owner_id = fields.Integer(allow_none=True)
    fields_ = fields.Dict(data_key="fields")
    status = fields.String()
    changed = fields.List(fields.String(), metadata={"description": "prospect.updated: the fields that changed"})
    previous_owner_id = fields.Integer(allow_none=True, metadata={"description": "prospect.owner_changed"})


class WebhookErasedPayloadSchema(Schema):
    """`data` of prospect.erased: the id only."""

    id = fields.Integer()


class WebhookRecordedEventPayloadSchema(Schema):
    """`data` of email.*, deal.stale, prospect.score_changed|sales_ready, form.submitted."""

    event_id = fields.Integer()
    prospect_id = fields.Integer(allow_none=True)
    enrollment_id = fields.Integer(allow_none=True)
    sequence_id = fields.Integer(allow_none=True)
    step_id = fields.Integer(allow_none=True)
    mailbox_id = fields.Integer(allow_none=True)
    opportunity_id = fields.Integer(allow_none=True)
    task_id = fields.Integer(allow_none=True)
    details = fields.Dict(metadata={"description": "what the event recorded, e.g. the clicked URL"})


class WebhookEnrollmentPayloadSchema(Schema):
    """`data` of enrollment.created|paused|resumed|exited|finished."""

    id = fields.Integer()
    prospect_id = fields.Integer()
    sequence_id = fields.Integer()
    mailbox_id = fields.Integer(allow_none=True)
    status = fields.String()
    exit_reason = fields.String(allow_none=True)


class WebhookTaskPayloadSchema(Schema):
    """`data` of task.created|completed|skipped."""

    id = fields.Integer()
    type = fields.String()
    status = fields.String()
    title = fields.String()
    owner_id = fields.Integer(allow_none=True)
    prospect_id = fields.Integer(allow_none=True)
    enrollment_id = fields.Integer(allow_none=True)
    opportunity_id = fields.Integer(allow_none=True)
    due_at = fields.String()
    outcome = fields.String(allow_none=True)


class WebhookDealPayloadSchema(Schema):
    """`data` of deal.created|stage_changed|won|lost."""

    id = fields.Integer()
    name = fields.String()
    stage = fields.String()
    amount = fields.String(allow_none=True, metadata={"description": "a decimal as a string"})
    currency = fields.String()
    owner_id = fields.Integer(allow_none=True)
    prospect_id = fields.Integer(allow_none=True)
    company_id = fields.Integer(allow_none=True)
    close_date = fields.String(allow_none=True)
    previous_stage = fields.String(metadata={"description": "deal.stage_changed"})
    lost_reason = fields.String(allow_none=True, metadata={"description": "deal.lost"})


class FeedEventSchema(Schema):
    id = fields.Integer()
    type = fields.String(metadata={"enum": list(TYPES)})
    timestamp = fields.String(metadata={"description": "ISO 8601, UTC"})
    data = fields.Dict(metadata={"description": (
        "by type: prospect.* → WebhookProspectPayload (prospect.erased → WebhookErasedPayload); enrollment.* → "
        "WebhookEnrollmentPayload; task.* → WebhookTaskPayload; deal.created|stage_changed|won|lost → "
        "WebhookDealPayload; email.*, deal.stale, prospect.score_changed|sales_ready, form.submitted → "
        "WebhookRecordedEventPayload. A webhook delivery's body is {type, timestamp, data} with the same data.")})


class FeedSchema(Schema):
    events = fields.List(fields.Nested(FeedEventSchema))
    next = fields.String(metadata={"description": "pass as `after` for the next page (also when events is empty)"})
