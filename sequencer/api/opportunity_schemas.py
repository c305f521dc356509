"""Opportunity schemas: types for API input (the service checks meaning) and the OpenAPI components."""
from __future__ import annotations

from marshmallow import Schema, fields, pre_dump, validate

from sequencer.api.dump_fields import AcrossDateTime, AcrossString, UtcDateTime, enum_value
from sequencer.api.load_fields import Day
from sequencer.deals.deals import BANT_KEYS
from sequencer.models import Stage

STAGES = [s.value for s in Stage]


class BantItemSchema(Schema):
    value = fields.String(allow_none=True, metadata={"description": "what was learned"})
    ok = fields.Boolean(allow_none=True, metadata={"description": "qualified yes/no; null = unknown"})


class BantSchema(Schema):
    budget = fields.Nested(BantItemSchema, allow_none=True)
    authority = fields.Nested(BantItemSchema, allow_none=True)
    need = fields.Nested(BantItemSchema, allow_none=True)
    timeline = fields.Nested(BantItemSchema, allow_none=True)

    @pre_dump
    def every_letter(self, bant: dict | None, **kwargs) -> dict:
        """A letter never discussed goes out as null."""
        return {k: (bant or {}).get(k) for k in BANT_KEYS}


class OpportunityInSchema(Schema):
    name = fields.String(required=True)
    prospect_id = fields.Integer(required=True, metadata={"description": "the primary contact; sets the company"})
    owner_id = fields.Integer(allow_none=True, metadata={
        "description": "defaults to the caller (reps) or the prospect's owner"})
    stage = fields.String(validate=validate.OneOf(STAGES), metadata={"description": "default prospecting"})
    amount = fields.Decimal(allow_none=True, allow_nan=False, as_string=False)
    currency = fields.String(metadata={"description": "ISO 4217, default EUR"})
    close_date = Day(allow_none=True, metadata={"description": "expected close date"})
    lost_reason = fields.String(allow_none=True, metadata={"description": "required with stage closed_lost"})
    bant = fields.Nested(BantSchema, allow_none=True, metadata={
        "description": "PATCH merges per letter; each letter is a note and a yes/no"})


class StaleSchema(Schema):
    since = UtcDateTime(metadata={"description": "local midnight (owner's zone) the deal went stale, in UTC"})
    days_without_activity = fields.Integer(attribute="quiet_days")
    rule_days = fields.Integer()
    reason = fields.String()


class StageChangeSchema(Schema):
    from_ = fields.String(data_key="from", attribute="from_stage", allow_none=True)
    to = fields.String(attribute="to_stage")
    changed_by_id = fields.Integer(allow_none=True)
    changed_at = UtcDateTime()


class OpportunitySchema(Schema):
    """A deal as the API returns it; dumped from a deal view (api.opportunities) carrying activity and stale."""

    id = fields.Integer()
    name = fields.String()
    prospect_id = fields.Integer(allow_none=True)
    company_id = fields.Integer(allow_none=True)
    company = AcrossString("company.name")
    owner_id = fields.Integer(allow_none=True)
    stage = enum_value(Stage)
    amount = fields.Float(allow_none=True)
    currency = fields.String()
    close_date = Day(allow_none=True)
    bant = fields.Nested(BantSchema)
    lost_reason = fields.String(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    closed_at = UtcDateTime(allow_none=True)
    last_activity_at = AcrossDateTime("activity.last_at", metadata={
        "description": "derived from the events and tasks of the deal, its contact and company"})
    last_activity_kind = AcrossString("activity.last_kind")
    stale = fields.Nested(StaleSchema, allow_none=True)
    history = fields.List(fields.Nested(StageChangeSchema), metadata={
        "description": "only on GET of one deal"})


class StaleRulesSchema(Schema):
    rules = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "stage -> days without activity (1-365); a stage left out has no rule"})
    email_owner = fields.Boolean()
    reengage_sequence_id = fields.Integer(allow_none=True)
