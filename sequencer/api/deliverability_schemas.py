"""Mailbox pools and domain check shapes for the API."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from sequencer.api.dump_fields import UtcDateTime


class PoolInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 200))
    owner_id = fields.Integer(allow_none=True, metadata={"description": "the rep whose mailboxes it holds"})


class PoolMemberSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    room_today = fields.Integer(metadata={"description": "emails it may still send today (warm-up and limits)"})


class PoolSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    owner_id = fields.Integer(allow_none=True)
    mailboxes = fields.List(fields.Nested(PoolMemberSchema))


class DomainAcceptSchema(Schema):
    domain = fields.String(required=True, validate=validate.Length(min=1, max=255),
                           metadata={"description": "a sending domain of one of the workspace's mailboxes"})


class DomainCheckSchema(Schema):
    id = fields.Integer()
    kind = fields.String(validate=validate.OneOf(["sending", "tracking"]))
    domain = fields.String()
    passed = fields.Boolean()
    problems = fields.List(fields.String(), metadata={"description": "what is missing or wrong, in plain words"})
    checked_at = UtcDateTime(allow_none=True)
    acknowledged_at = UtcDateTime(allow_none=True, metadata={
        "description": "an admin accepted these findings: the domain's new mailboxes may send"})
