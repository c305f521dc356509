"""Website forms and their submissions as the API shows them (the OpenAPI components)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from sequencer.api.dump_fields import UtcDateTime
from sequencer.forms.definitions import KINDS, ROUTE_FIELDS, STANDARD


class FormFieldSchema(Schema):
    name = fields.String(required=True, metadata={"description": "lower-case letters, digits and _; `website` is the honeypot"})
    label = fields.String(load_default=None, allow_none=True)
    required = fields.Boolean(load_default=False)
    maps_to = fields.String(load_default=None, allow_none=True,
                            metadata={"description": f"one of {', '.join(STANDARD)} or `custom:<key>`"})


class RoutingRuleSchema(Schema):
    field = fields.String(required=True, validate=validate.OneOf(ROUTE_FIELDS))
    values = fields.List(fields.Raw(), required=True, data_key="in")
    user_id = fields.Integer(required=True, strict=True)


class RoundRobinMemberSchema(Schema):
    user_id = fields.Integer(required=True, strict=True)
    weight = fields.Integer(load_default=1, strict=True)


class RoutingSchema(Schema):
    rules = fields.List(fields.Nested(RoutingRuleSchema), load_default=list)
    round_robin = fields.List(fields.Nested(RoundRobinMemberSchema), load_default=list)
    daily_cap = fields.Integer(load_default=None, allow_none=True, strict=True)


class EscalationSchema(Schema):
    remind_minutes = fields.Integer(allow_none=True, strict=True)
    manager_minutes = fields.Integer(allow_none=True, strict=True)
    reassign_minutes = fields.Integer(allow_none=True, strict=True)


class FormInSchema(Schema):
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    fields_ = fields.List(fields.Nested(FormFieldSchema), required=True, data_key="fields")
    allowed_origins = fields.List(fields.String(), load_default=list)
    double_opt_in = fields.Boolean(load_default=False)
    sequence_id = fields.Integer(load_default=None, allow_none=True, strict=True)
    routing = fields.Nested(RoutingSchema, load_default=dict)
    escalation = fields.Nested(EscalationSchema, load_default=dict)
    consent_text = fields.String(load_default="")
    thank_you = fields.String(load_default="")
    redirect_url = fields.String(load_default=None, allow_none=True)
    content_url = fields.String(load_default=None, allow_none=True)
    booking_url = fields.String(load_default=None, allow_none=True)


class FormSchema(Schema):
    id = fields.Integer()
    key = fields.String()
    name = fields.String()
    kind = fields.String()
    fields_ = fields.List(fields.Dict(), data_key="fields", attribute="fields")
    allowed_origins = fields.List(fields.String())
    double_opt_in = fields.Boolean()
    sequence_id = fields.Integer(allow_none=True)
    welcome_sequence_id = fields.Integer(allow_none=True)
    routing = fields.Dict()
    escalation = fields.Dict()
    consent_text = fields.String()
    consent_version = fields.Integer()
    thank_you = fields.String()
    redirect_url = fields.String(allow_none=True)
    content_url = fields.String(allow_none=True)
    booking_url = fields.String(allow_none=True)
    url = fields.String(metadata={"description": "the hosted page"})
    embed_html = fields.String(metadata={"description": "a <div> and a <script> that render the form in a page"})
    plain_html = fields.String(metadata={"description": "a plain HTML <form> posting to the hosted address"})
    created_at = UtcDateTime()


class FormSubmissionSchema(Schema):
    id = fields.Integer()
    form_id = fields.Integer()
    email = fields.String()
    data = fields.Dict()
    status = fields.String(metadata={"enum": ["received", "processing", "processed", "pending_confirmation",
                                              "duplicate"]})
    flags = fields.List(fields.String(), metadata={"description": "role_address, disposable_address, unverified_timing"})
    page_url = fields.String(allow_none=True)
    utm = fields.Dict()
    ip = fields.String(allow_none=True)
    user_agent = fields.String(allow_none=True)
    consent_given = fields.Boolean()
    consent_version = fields.Integer(allow_none=True)
    confirmed_at = UtcDateTime(allow_none=True)
    prospect_id = fields.Integer(allow_none=True)
    owner_id = fields.Integer(allow_none=True)
    route_reason = fields.String(allow_none=True)
    task_id = fields.Integer(allow_none=True)
    handoff = fields.Dict()
    created_at = UtcDateTime()
    processed_at = UtcDateTime(allow_none=True)
