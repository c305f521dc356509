"""API token shapes: what a list shows (never the token or its hash) and the one answer that holds the token."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from sequencer.accounts.tokens import MAX_DAYS, NAME_MAX, is_expired
from sequencer.api.dump_fields import Computed, UtcDateTime


class TokenInSchema(Schema):
    name = fields.String(load_default="", validate=validate.Length(max=NAME_MAX),
                         metadata={"description": "shown in the token list, e.g. the tool that uses it"})
    expires_in_days = fields.Integer(allow_none=True, load_default=None, strict=True,
                                     metadata={"description": f"1 to {MAX_DAYS}; null or absent: never expires"})


class TokenSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String(metadata={"description": "the token's first characters, to tell tokens apart"})
    created_at = UtcDateTime()
    last_used_at = UtcDateTime(allow_none=True, metadata={"description": "to the minute"})
    expires_at = UtcDateTime(allow_none=True)
    expired = Computed(is_expired, "boolean", metadata={"description": "past `expires_at`: answers 401"})


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "the bearer token; shown this once, never again"})
