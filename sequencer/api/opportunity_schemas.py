"""Opportunity schemas: types for API input (the service checks meaning) and the OpenAPI components."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

STAGES = ["prospecting", "qualification", "needs_analysis", "proposal", "negotiation", "closed_won", "closed_lost"]


class BantItemSchema(Schema):
    value = fields.String(allow_none=True, metadata={"description": "what was learned"})
    ok = fields.Boolean(allow_none=True, metadata={"description": "qualified yes/no; null = unknown"})


class BantSchema(Schema):
    budget = fields.Nested(BantItemSchema, allow_none=True)
    authority = fields.Nested(BantItemSchema, allow_none=True)
    need = fields.Nested(BantItemSchema, allow_none=True)
    timeline = fields.Nested(BantItemSchema, allow_none=True)


class OpportunityInSchema(Schema):
    name = fields.String(required=True)
    prospect_id = fields.Integer(required=True, metadata={"description": "the primary contact; sets the company"})
    owner_id = fields.Integer(allow_none=True, metadata={
        "description": "defaults to the caller (reps) or the prospect's owner"})
    stage = fields.String(validate=validate.OneOf(STAGES), metadata={"description": "default prospecting"})
    amount = fields.Decimal(allow_none=True, allow_nan=False, as_string=False)
    currency = fields.String(metadata={"description": "ISO 4217, default EUR"})
    close_date = fields.Date(allow_none=True, metadata={"description": "expected close date"})
    lost_reason = fields.String(allow_none=True, metadata={"description": "required with stage closed_lost"})
    bant = fields.Nested(BantSchema, allow_none=True, metadata={
        "description": "PATCH merges per letter; each letter is a note and a yes/no"})


class StaleSchema(Schema):
    since = fields.String(metadata={"description": "local midnight (owner's zone) the deal went stale, in UTC"})
    days_without_activity = fields.Integer()
    rule_days = fields.Integer()
    reason = fields.String()


class StageChangeSchema(Schema):
    from_ = fields.String(data_key="from", allow_none=True)
    to = fields.String()
    changed_by_id = fields.Integer(allow_none=True)
    changed_at = fields.String()


class OpportunitySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    prospect_id = fields.Integer(allow_none=True)
    company_id = fields.Integer(allow_none=True)
    company = fields.String(allow_none=True)
    owner_id = fields.Integer(allow_none=True)
    stage = fields.String(validate=validate.OneOf(STAGES))
    amount = fields.Float(allow_none=True)
    currency = fields.String()
    close_date = fields.String(allow_none=True)
    bant = fields.Nested(BantSchema)
    lost_reason = fields.String(allow_none=True)
    created_at = fields.String()
    updated_at = fields.String()
    closed_at = fields.String(allow_none=True)
    last_activity_at = fields.String(allow_none=True, metadata={
        "description": "derived from the events and tasks of the deal, its contact and company"})
    last_activity_kind = fields.String(allow_none=True)
    stale = fields.Nested(StaleSchema, allow_none=True)
    history = fields.List(fields.Nested(StageChangeSchema), metadata={
        "description": "only on GET of one deal"})


class StaleRulesSchema(Schema):
    rules = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "stage -> days without activity (1-365); a stage left out has no rule"})
    email_owner = fields.Boolean()
    reengage_sequence_id = fields.Integer(allow_none=True)
