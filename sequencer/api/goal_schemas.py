"""Goal and KPI schemas: the OpenAPI components for /goals, /goals/{id}/what-if and /kpis."""
from __future__ import annotations

from marshmallow import Schema, fields

from sequencer.api.dump_fields import UtcDateTime


class GoalInSchema(Schema):
    name = fields.String(required=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    target_amount = fields.Decimal(as_string=False, allow_none=True, places=2,
                                   metadata={"description": "revenue to win; or give target_deals"})
    target_deals = fields.Integer(allow_none=True, strict=True)
    currency = fields.String(load_default="EUR")
    owner_id = fields.Integer(allow_none=True, strict=True, metadata={"description": "a rep; null for the team"})
    assumptions = fields.Dict(keys=fields.String(), values=fields.Raw(), metadata={
        "description": "{stage: rate} used until a stage has 30 outcomes; also average_deal and cycle_days"})
    weights = fields.List(fields.Raw(), metadata={"description": "seasonality: one weight per month of the period"})
    window_days = fields.Integer(strict=True, metadata={"description": "history measured, days back (default 365)"})
    holiday_country = fields.String(allow_none=True, metadata={"description": "holiday calendar for working days"})


class WhatIfInSchema(Schema):
    rates = fields.Dict(keys=fields.String(), values=fields.Raw(), metadata={"description": "{stage: rate}"})
    average_deal = fields.Float(allow_none=True, allow_nan=False)
    target_amount = fields.Float(allow_none=True, allow_nan=False)
    target_deals = fields.Integer(allow_none=True, strict=True)


class RangeSchema(Schema):
    low = fields.Integer(allow_none=True)
    mid = fields.Integer(allow_none=True)
    high = fields.Integer(allow_none=True, metadata={"description": "null when a rate's lower bound is 0"})


class RateSchema(Schema):
    rate = fields.Float()
    low = fields.Float()
    high = fields.Float()
    n = fields.Integer(metadata={"description": "outcomes measured at this stage"})
    successes = fields.Integer()
    source = fields.String(metadata={"description": "measured | assumed"})
    scope = fields.String(metadata={"description": "rep | team | assumption | default | what_if"})


class SliceSchema(Schema):
    start = fields.Date()
    end = fields.Date()
    label = fields.String()
    share = fields.Float()
    amount = fields.Float(allow_none=True)
    deals = fields.Float()


class TargetSchema(Schema):
    amount = fields.Float(allow_none=True)
    deals = fields.Float()
    currency = fields.String()
    months = fields.List(fields.Nested(SliceSchema))
    quarters = fields.List(fields.Nested(SliceSchema))


class MeasureSchema(Schema):
    value = fields.Float(allow_none=True)
    n = fields.Integer()
    source = fields.String(metadata={"description": "measured | assumed | missing"})


class MeasuresSchema(Schema):
    average_deal = fields.Nested(MeasureSchema)
    cycle_days = fields.Nested(MeasureSchema)
    window_days = fields.Integer()


class WindowSchema(Schema):
    start = fields.Date()
    end = fields.Date()


class RepPlanSchema(Schema):
    user_id = fields.Integer()
    name = fields.String()
    deals = fields.Float()
    working_days = fields.Integer()
    per_day = fields.Dict(keys=fields.String(), values=fields.Float())
    per_week = fields.Dict(keys=fields.String(), values=fields.Float())


class RepPaceSchema(Schema):
    user_id = fields.Integer()
    name = fields.String()
    planned = fields.Dict(keys=fields.String(), values=fields.Float())
    actual = fields.Dict(keys=fields.String(), values=fields.Integer())
    week_planned = fields.Dict(keys=fields.String(), values=fields.Float())
    week_actual = fields.Dict(keys=fields.String(), values=fields.Integer())
    behind = fields.Integer(metadata={"description": "first contacts behind this week"})
    reason = fields.String(allow_none=True, metadata={"description": "fewer touches | lower conversion"})
    message = fields.String(allow_none=True)


class PaceSchema(Schema):
    as_of = UtcDateTime()
    planned = fields.Dict(keys=fields.String(), values=fields.Float())
    actual = fields.Dict(keys=fields.String(), values=fields.Integer())
    projection = fields.Dict(keys=fields.String(), values=fields.Float())
    reps = fields.List(fields.Nested(RepPaceSchema))
    weeks = fields.List(fields.Dict(keys=fields.String(), values=fields.Raw()))


class GoalPlanSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    period_start = fields.Date()
    period_end = fields.Date()
    currency = fields.String()
    owner_id = fields.Integer(allow_none=True)
    assumptions = fields.Dict(keys=fields.String(), values=fields.Float())
    target = fields.Nested(TargetSchema)
    plan = fields.Dict(keys=fields.String(), values=fields.Nested(RangeSchema), metadata={
        "description": "deals, negotiations, proposals, needs_analyses, qualified, opportunities, meetings, replies, "
                       "first_contacts, touches: each {low, mid, high}"})
    rates = fields.Dict(keys=fields.String(), values=fields.Nested(RateSchema))
    average_deal = fields.Float(allow_none=True)
    cycle_days = fields.Float(allow_none=True)
    measures = fields.Nested(MeasuresSchema)
    activity_window = fields.Nested(WindowSchema, metadata={"description": "the period moved back by the cycle"})
    per_rep = fields.List(fields.Nested(RepPlanSchema))


class GoalSchema(GoalPlanSchema):
    pace = fields.Nested(PaceSchema)


class GoalSummarySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    period_start = fields.Date()
    period_end = fields.Date()
    target_amount = fields.Float(allow_none=True)
    target_deals = fields.Integer(allow_none=True)
    currency = fields.String()
    owner_id = fields.Integer(allow_none=True)


class CoverageSchema(Schema):
    open_pipeline = fields.Float()
    remaining_target = fields.Float()
    coverage = fields.Float(allow_none=True)


class SpeedToLeadSchema(Schema):
    median_minutes = fields.Float(allow_none=True, metadata={"description": "null when no form submission was touched"})
    n = fields.Integer()
    submissions = fields.Integer()


class CacSchema(Schema):
    costs = fields.Float()
    won = fields.Integer()
    cac = fields.Float(allow_none=True)


class RepActivitySchema(Schema):
    user_id = fields.Integer()
    name = fields.String()
    touches = fields.Integer()
    first_contacts = fields.Integer()
    meetings = fields.Integer()


class KpisSchema(Schema):
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    owner_id = fields.Integer(allow_none=True)
    currency = fields.String()
    conversion = fields.Dict(keys=fields.String(), values=fields.Nested(RateSchema))
    won = fields.Integer()
    lost = fields.Integer()
    win_rate = fields.Float(allow_none=True)
    average_deal = fields.Float(allow_none=True)
    cycle_days = fields.Float(allow_none=True)
    open_pipeline = fields.Float()
    pipeline_coverage = fields.Nested(CoverageSchema)
    activities_per_rep = fields.List(fields.Nested(RepActivitySchema))
    reply_rate = fields.Float(allow_none=True)
    meeting_rate = fields.Float(allow_none=True)
    speed_to_lead = fields.Nested(SpeedToLeadSchema)
    cac = fields.Nested(CacSchema)
