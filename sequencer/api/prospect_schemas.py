"""Prospect schemas: types for API input (the service checks meaning) and the OpenAPI components."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from sequencer.api.dump_fields import AcrossString, Computed, UtcDateTime, enum_value
from sequencer.models import ProspectStatus

PROSPECT_STATUSES = [s.value for s in ProspectStatus]


class ProspectInSchema(Schema):
    email = fields.String(required=True, metadata={"description": "trimmed and lower-cased; unique"})
    first_name = fields.String(allow_none=True)
    last_name = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    company = fields.String(allow_none=True, metadata={"description": "company name"})
    company_domain = fields.String(allow_none=True, metadata={
        "description": "matches an existing company by domain, or creates one"})
    persona = fields.String(allow_none=True, metadata={
        "description": "a persona key; when absent, suggested from the title keywords"})
    timezone = fields.String(allow_none=True, metadata={"description": "IANA name, e.g. Europe/Vilnius"})
    country = fields.String(allow_none=True, metadata={"description": "ISO 3166 alpha-2"})
    city = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    phone = fields.String(allow_none=True, metadata={"description": "stored as E.164"})
    linkedin_url = fields.String(allow_none=True)
    owner_id = fields.Integer(allow_none=True, metadata={"description": "defaults to the caller"})
    status: fields.Field = fields.String(validate=validate.OneOf(PROSPECT_STATUSES))  # ProspectSchema: the enum
    # `fields` would clash with Schema.fields, hence the attribute name and the data key
    custom_fields: fields.Field = fields.Dict(keys=fields.String(), allow_none=True, data_key="fields",
                                metadata={"description": "free-form custom fields (a JSON object)"})


class ProspectSchema(ProspectInSchema):
    """A prospect as the API returns it, dumped from the Prospect row."""

    id = fields.Integer()
    name = fields.String()
    company = AcrossString("company.name", metadata={"description": "company name"})
    company_domain = AcrossString("company.domain")
    company_id = fields.Integer(allow_none=True)
    persona = AcrossString("persona.key", metadata={"description": "the persona key"})
    status = enum_value(ProspectStatus)
    custom_fields = Computed(lambda p: p.fields or {}, "object", data_key="fields",
                             metadata={"description": "free-form custom fields (a JSON object)"})
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    fit = fields.Integer(attribute="score_fit", dump_only=True, metadata={"description": "lead scoring: fit points"})
    score = fields.Integer(attribute="score_engagement", dump_only=True, metadata={
        "description": "lead scoring: engagement points (what `sort=-score` orders by)"})
    sales_ready = fields.Boolean(dump_only=True)
    sales_ready_at = UtcDateTime(allow_none=True, dump_only=True)


class PersonaUsageSchema(Schema):
    prospects = fields.Integer()
    sequences = fields.List(fields.Dict())
