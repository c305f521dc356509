"""Schemas for the sequence report and the experiment settings (the OpenAPI document lists them)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from sequencer.api.dump_fields import UtcDateTime


class VariantStatsSchema(Schema):
    id = fields.Integer()
    label = fields.String()
    active = fields.Boolean()
    promoted = fields.Boolean(metadata={"description": "declared or auto-promoted winner"})
    sent = fields.Integer(metadata={"description": "distinct step runs sent (a re-send counts once)"})
    opened = fields.Integer()
    clicked = fields.Integer()
    replied = fields.Integer()
    positive_replies = fields.Integer()
    meetings = fields.Integer()
    reply_rate = fields.Float(allow_none=True)
    ci_low = fields.Float(allow_none=True, metadata={"description": "95% Wilson interval of the reply rate"})
    ci_high = fields.Float(allow_none=True)
    open_rate = fields.Float(allow_none=True, metadata={"description": "unreliable (Apple Mail Privacy Protection)"})
    click_rate = fields.Float(allow_none=True)
    positive_reply_rate = fields.Float(allow_none=True)
    meeting_rate = fields.Float(allow_none=True)
    meeting_ci_low = fields.Float(allow_none=True)
    meeting_ci_high = fields.Float(allow_none=True)
    prob_best = fields.Float(allow_none=True, metadata={"description": "P(best) on the step's primary metric"})


class PersonaStatsSchema(Schema):
    persona = fields.String()
    ready = fields.Boolean()
    variants = fields.List(fields.Nested(VariantStatsSchema))


class StepReportSchema(Schema):
    position = fields.Integer()
    type = fields.String()
    sent = fields.Integer()
    opened = fields.Integer()
    clicked = fields.Integer()
    replied = fields.Integer()
    bounced = fields.Integer()
    unsubscribed = fields.Integer()
    meetings = fields.Integer()
    tasks_done = fields.Integer()
    variants = fields.List(fields.Nested(VariantStatsSchema))
    step_id = fields.Integer()
    positive_replies = fields.Integer()
    reached = fields.Integer()
    held_out = fields.Integer()
    exited = fields.Dict(keys=fields.String(), values=fields.Integer())
    primary_metric = fields.String()
    min_sample = fields.Integer()
    ready = fields.Boolean(metadata={"description": "every variant has at least min_sample sent"})
    auto_promote = fields.Boolean()
    holdout_pct = fields.Integer()
    stratify_by_persona = fields.Boolean()
    personas = fields.List(fields.Nested(PersonaStatsSchema))
    decisions = fields.List(fields.Dict())


class SequenceReportSchema(Schema):
    steps = fields.List(fields.Nested(StepReportSchema))
    weekly = fields.List(fields.Dict())
    holdouts = fields.List(fields.Dict())


class ExperimentSettingsSchema(Schema):
    primary_metric = fields.String(validate=validate.OneOf(["reply", "meeting", "positive"]))
    min_sample = fields.Integer(validate=validate.Range(10, 100_000))
    auto_promote = fields.Boolean()
    stratify_by_persona = fields.Boolean()
    holdout_pct = fields.Integer(validate=validate.Range(0, 50))


class WinnerSchema(Schema):
    variant_id = fields.Integer(required=True)
    override = fields.Boolean(load_default=False, metadata={
        "description": "declare although a live variant is below the minimum sample (otherwise 409)"})


class DecisionSchema(Schema):
    id = fields.Integer()
    step_id = fields.Integer()
    variant_id = fields.Integer(allow_none=True)
    kind = fields.String()
    metric = fields.String()
    numbers = fields.Dict()
    decided_at = UtcDateTime()
