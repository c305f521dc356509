"""Schemas for sequences and enrolments: they check shapes and types; services check meaning."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from sequencer.api.dump_fields import UtcDateTime, enum_value
from sequencer.api.load_fields import Moment
from sequencer.models import EnrollmentStatus, SequenceStatus, StepRunState
from sequencer.models.sequences import StepType

STEP_TYPES = [t.value for t in StepType]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class PersonaContentSchema(Schema):
    subject = fields.String(load_default="")
    body = fields.String(load_default="")


class VariantInSchema(Schema):
    label = fields.String(required=True, validate=validate.Length(1, 32))
    weight = fields.Integer(load_default=50, validate=validate.Range(0, 1000))
    subject = fields.String(load_default="")
    body = fields.String(load_default="")
    by_persona = fields.Dict(keys=fields.String(), values=fields.Nested(PersonaContentSchema), load_default=dict)


class StepInSchema(Schema):
    type: fields.Field = fields.String(required=True, validate=validate.OneOf(STEP_TYPES))  # StepSchema dumps the enum
    wait_days = fields.Integer(load_default=0, validate=validate.Range(0, 365))
    instructions = fields.String(load_default="")
    thread = fields.Boolean(load_default=False)
    variants = fields.List(fields.Nested(VariantInSchema), load_default=list)


class ScheduleSchema(Schema):
    days = fields.List(fields.String(validate=validate.OneOf(DAYS)))
    window_start = fields.String()
    window_end = fields.String()
    holidays = fields.String(allow_none=True)
    fallback_timezone = fields.String()


class SequenceInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 300))
    description = fields.String(load_default="")
    schedule = fields.Nested(ScheduleSchema, load_default=dict)
    exit_on_reply = fields.Boolean(load_default=True)
    track_opens = fields.Boolean(load_default=False)
    track_clicks = fields.Boolean(load_default=False)
    steps = fields.List(fields.Nested(StepInSchema), load_default=list)


class VariantSchema(VariantInSchema):
    id = fields.Integer()
    active = fields.Boolean()


class StepSchema(StepInSchema):
    """A step as the API returns it; dumped from the Step seen with `in_use` (see api.sequences)."""

    id = fields.Integer()
    position = fields.Integer()
    type = enum_value(StepType)
    variants = fields.List(fields.Nested(VariantSchema))
    in_use = fields.Boolean(metadata={"description": "an enrolment has reached this step"})


class SequenceSchema(SequenceInSchema):
    """A sequence as the API returns it, with step and variant ids."""

    id = fields.Integer()
    status = enum_value(SequenceStatus)
    steps = fields.List(fields.Nested(StepSchema))
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class EnrollInSchema(Schema):
    prospect_ids = fields.List(fields.Integer(), required=True, validate=validate.Length(1, 50_000))
    mailbox_id = fields.Integer(allow_none=True)
    pool_id = fields.Integer(allow_none=True, metadata={
        "description": "instead of mailbox_id: the first email goes from the pool member with the most room"})
    start_at = Moment(allow_none=True, default_timezone=None)


class MailboxLoadSchema(Schema):
    mailbox_id = fields.Integer()
    email = fields.String()
    prospects = fields.Integer(metadata={"description": "first emails of this enrolment from the mailbox"})
    waiting = fields.Integer(metadata={"description": "emails already scheduled from it"})
    daily_limit = fields.Integer()
    business_days = fields.Integer(metadata={"description": "to send them all at the daily cap"})
    last_day = fields.Date()


class EnrollEstimateSchema(Schema):
    count = fields.Integer(metadata={"description": "prospects that would be enrolled"})
    excluded = fields.Dict(keys=fields.String(), values=fields.Integer(),
                           metadata={"description": "skip reason → prospects"})
    first_step_is_email = fields.Boolean()
    business_days = fields.Integer(metadata={"description": "the longest mailbox's time to send step 1"})
    mailboxes = fields.List(fields.Nested(MailboxLoadSchema))


class EnrolledSchema(Schema):
    id = fields.Integer()
    prospect_id = fields.Integer()


class SkippedSchema(Schema):
    prospect_id = fields.Integer()
    reason = fields.String()


class EnrollResultSchema(Schema):
    enrolled = fields.List(fields.Nested(EnrolledSchema))
    skipped = fields.List(fields.Nested(SkippedSchema))


class EnrollmentStepSchema(Schema):
    position = fields.Integer()
    type = enum_value(StepType)
    status = fields.String(validate=validate.OneOf(["pending", *(s.value for s in StepRunState)]))
    due_at = UtcDateTime(allow_none=True)
    projected_at = UtcDateTime(allow_none=True)
    done_at = UtcDateTime(allow_none=True)
    variant = fields.String(allow_none=True)
    message_id = fields.String(allow_none=True)
    why_waiting = fields.String(allow_none=True)


class EnrollmentSchema(Schema):
    id = fields.Integer()
    prospect_id = fields.Integer()
    sequence_id = fields.Integer()
    mailbox_id = fields.Integer(allow_none=True)
    status = enum_value(EnrollmentStatus)
    exit_reason = fields.String(allow_none=True)
    paused_until = UtcDateTime(allow_none=True)
    next_due_at = UtcDateTime(allow_none=True)
    steps = fields.List(fields.Nested(EnrollmentStepSchema))


class PauseInSchema(Schema):
    until = Moment(allow_none=True)


class ExitInSchema(Schema):
    reason = fields.String(load_default="manual", validate=validate.Length(1, 64))


class PreviewSchema(Schema):
    subject = fields.String()
    body_html = fields.String()
    body_text = fields.String()
    missing = fields.List(fields.String(), metadata={"description": "variables the template uses that are empty"})
    scheduled_for = UtcDateTime(allow_none=True)
    variant = fields.String(allow_none=True, metadata={"description": "the variant's label"})
