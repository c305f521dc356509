"""Activity and score schemas: the OpenAPI components for /activities, /prospects/{id}/score and /scoring."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from sequencer.api.dump_fields import UtcDateTime
from sequencer.scoring.kinds import ALL_KINDS, API_KINDS, FIT


class ActivityInSchema(Schema):
    prospect_id = fields.Integer(metadata={"description": "the prospect; or give `email`"})
    email = fields.String(metadata={"description": "an unknown email is kept as anonymous and attached when that "
                                                   "prospect appears"})
    kind = fields.String(required=True, validate=validate.OneOf(API_KINDS))
    occurred_at = fields.String(required=True, metadata={
        "description": "ISO 8601; more than 5 minutes ahead or two years back is refused for that item"})
    external_id = fields.String(metadata={"description": "idempotency key: a second activity with it is a duplicate"})
    properties = fields.Dict(metadata={"description": "free-form: url, title, ..."})


class ActivityBatchInSchema(Schema):
    activities = fields.List(fields.Nested(ActivityInSchema), required=True, metadata={
        "description": "at most 1,000; items beyond are refused one by one in `errors`"})


class ActivityErrorSchema(Schema):
    index = fields.Integer(metadata={"description": "position in the batch (0 for a single activity)"})
    field = fields.String()
    message = fields.String()


class ActivityReceiptSchema(Schema):
    accepted = fields.Integer(metadata={"description": "stored now (anonymous ones included)"})
    duplicates = fields.Integer(metadata={"description": "external ids already stored or repeated in the batch"})
    anonymous = fields.Integer(metadata={"description": "accepted with an email that matches no prospect yet"})
    errors = fields.List(fields.Nested(ActivityErrorSchema))


class LedgerLineSchema(Schema):
    at = UtcDateTime(metadata={"description": "the activity's time, or when the decay or fit change happened"})
    rule = fields.String(attribute="rule_key")
    points = fields.Integer()
    activity_id = fields.Integer(allow_none=True)
    kind = fields.String(validate=validate.OneOf(["fit", "engagement", "decay"]))
    rule_version = fields.Integer()


class ScoreSchema(Schema):
    fit = fields.Integer()
    engagement = fields.Integer()
    sales_ready = fields.Boolean()
    sales_ready_at = UtcDateTime(allow_none=True)
    ledger = fields.List(fields.Nested(LedgerLineSchema), metadata={
        "description": "every line, oldest first; fit + engagement = the sum of `points`"})


class ScoringRuleSchema(Schema):
    key = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf([*ALL_KINDS, FIT]), metadata={
        "description": "the activity kind, or `fit` for a rule about who the prospect is"})
    match = fields.Dict(allow_none=True, metadata={
        "description": "activity rules: {path_contains, url_contains, title_contains, properties: {...}}; "
                       "fit rules: {field: persona|seniority|country|company_size|industry, in: [values]}"})
    points = fields.Integer(required=True)
    group = fields.String(allow_none=True, metadata={"description": "a group key; the group's cap limits the sum"})
    max_times = fields.Integer(allow_none=True, metadata={"description": "how many activities the rule pays for"})
    label = fields.String(allow_none=True, metadata={"description": "how people read it: 'demo request'"})


class ScoringGroupSchema(Schema):
    key = fields.String(required=True)
    cap = fields.Integer(required=True)


class DecaySchema(Schema):
    points = fields.Integer(metadata={"description": "taken off per full idle period"})
    idle_days = fields.Integer(metadata={"description": "the idle period, in the prospect's local days"})
    half_life_days = fields.Integer(metadata={"description": "instead of points: engagement halves per period"})


class HandoffSchema(Schema):
    sequence_id = fields.Integer(allow_none=True, metadata={"description": "enrol a sales-ready prospect here"})
    exit_sequence_id = fields.Integer(allow_none=True, metadata={"description": "and take them out of this one"})


class TrackingSchema(Schema):
    enabled = fields.Boolean(metadata={"description": "the website snippet; off by default"})
    sites = fields.List(fields.String(), metadata={"description": "host names the snippet may report from"})


class ScoringSchema(Schema):
    version = fields.Integer(dump_only=True, metadata={"description": "0 = the built-in defaults"})
    rules = fields.List(fields.Nested(ScoringRuleSchema), required=True)
    groups = fields.List(fields.Nested(ScoringGroupSchema))
    decay = fields.Nested(DecaySchema, metadata={"description": "{} for no decay"})
    threshold = fields.Integer(metadata={"description": "engagement points that make a prospect sales-ready"})
    fit_threshold = fields.Integer(allow_none=True, metadata={"description": "optional fit grade required too"})
    handoff = fields.Nested(HandoffSchema)
    tracking = fields.Nested(TrackingSchema)


class DryRunSchema(Schema):
    would_become_sales_ready = fields.Integer()
    would_stop_being_sales_ready = fields.Integer()
