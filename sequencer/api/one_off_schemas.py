"""One-off email shapes: what a rep posts to write to one prospect, and the row it becomes."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from sequencer.api.dump_fields import UtcDateTime, enum_value
from sequencer.mail.one_off import MAX_BODY, MAX_SUBJECT
from sequencer.models import OneOffState
from sequencer.platform.bounds import MAX_ID


class OneOffEmailInSchema(Schema):
    mailbox_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_ID),
                                metadata={"description": "a mailbox the caller may send from (a rep: their own)"})
    subject = fields.String(required=True, validate=validate.Length(max=MAX_SUBJECT))
    body = fields.String(required=True, validate=validate.Length(max=MAX_BODY),
                         metadata={"description": "plain text; `{{ prospect.first_name }}` and the other template "
                                                  "values work, library `[…]` prompts are refused"})


class OneOffEmailSchema(Schema):
    id = fields.Integer()
    prospect_id = fields.Integer()
    user_id = fields.Integer(allow_none=True)
    mailbox_id = fields.Integer(allow_none=True)
    subject = fields.String(metadata={"description": "as written"})
    body = fields.String(metadata={"description": "as written"})
    state = enum_value(OneOffState, metadata={"description": "queued → sending → sent; failed (not sent, see "
                                                             "`error`) or uncertain (may have gone: never resent)"})
    message_id = fields.String(allow_none=True)
    error = fields.String(allow_none=True)
    created_at = UtcDateTime()
    send_started_at = UtcDateTime(allow_none=True)
    sent_at = UtcDateTime(allow_none=True)
