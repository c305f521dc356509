"""Schemas for the task queue: they check shapes and types; the task services check meaning."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from sequencer.api.dump_fields import AcrossString, UtcDateTime, enum_value
from sequencer.api.load_fields import Day, Moment
from sequencer.models import TaskStatus
from sequencer.models.tasks import TaskType
from sequencer.tasks.outcomes import OUTCOMES
from sequencer.tasks.queue import BUCKETS

TASK_TYPES = [t.value for t in TaskType]


class TaskListQuerySchema(Schema):
    owner = fields.String(load_default="me")
    bucket = fields.String(load_default="all", validate=validate.OneOf(BUCKETS))
    as_of = Moment(load_default=None)
    type = fields.String(load_default=None, validate=validate.OneOf(TASK_TYPES))
    sequence_id = fields.Integer(load_default=None)


class TaskProspectSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    title = fields.String(allow_none=True)
    company = AcrossString("company.name")
    phone = fields.String(allow_none=True)
    linkedin_url = fields.String(allow_none=True)
    timezone = fields.String(allow_none=True)


class TaskSchema(Schema):
    """A task as the API returns it; dumped from a Task that carries its `step_position` (see api.tasks)."""

    id = fields.Integer()
    type = enum_value(TaskType)
    status = enum_value(TaskStatus)
    due_at = UtcDateTime()
    priority = fields.Integer()
    title = fields.String()
    instructions = fields.String()
    outcome = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    skip_reason = fields.String(allow_none=True)
    snoozed_until = UtcDateTime(allow_none=True)
    completed_at = UtcDateTime(allow_none=True)
    owner_id = fields.Integer(allow_none=True)
    prospect = fields.Nested(TaskProspectSchema, allow_none=True)
    enrollment_id = fields.Integer(allow_none=True)
    step_position = fields.Integer(allow_none=True, metadata={"description": "1-based; null for a task off any sequence"})


class CompleteInSchema(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=10000))
    referral = fields.Boolean(load_default=False)


class SkipInSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(1, 500))


class SnoozeInSchema(Schema):
    until = Moment(required=True)


class NoteInSchema(Schema):
    note = fields.String(required=True, validate=validate.Length(1, 10000))


class BulkInSchema(Schema):
    ids = fields.List(fields.Integer(), required=True, validate=validate.Length(1, 500))
    action = fields.String(required=True, validate=validate.OneOf(["complete", "skip"]))
    outcome = fields.String(load_default="done", validate=validate.OneOf(OUTCOMES))
    reason = fields.String(load_default="")


class BulkRefusedSchema(Schema):
    id = fields.Integer()
    reason = fields.String()


class BulkResultSchema(Schema):
    done = fields.List(fields.Integer())
    refused = fields.List(fields.Nested(BulkRefusedSchema))


class ReassignInSchema(Schema):
    ids = fields.List(fields.Integer(), required=True, validate=validate.Length(1, 1000))
    owner_id = fields.Integer(required=True)


class ReassignResultSchema(Schema):
    reassigned = fields.Integer()


class EmailDraftSchema(Schema):
    subject = fields.String()
    body = fields.String()
    variant = fields.String(allow_none=True)
    missing = fields.List(fields.String(), metadata={
        "description": "variables the step uses that are empty for this prospect (not on a saved edit)"})
    problem = fields.String(metadata={
        "description": "present when the step cannot be rendered for this prospect: the draft is empty, and why"})


class EmailSendInSchema(Schema):
    subject = fields.String(load_default="", validate=validate.Length(max=998))
    body = fields.String(required=True, validate=validate.Length(1, 100000))


class EmailSentSchema(Schema):
    task = fields.Nested(TaskSchema)
    message_id = fields.String()
    subject = fields.String()


class TimeOffInSchema(Schema):
    starts_on = Day(required=True)
    ends_on = Day(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=200))
    tasks = fields.String(validate=validate.OneOf(["push", "reassign"]))
    emails = fields.String(validate=validate.OneOf(["wait", "delegate"]))
    delegate_id = fields.Integer(allow_none=True)


class TimeOffPreferencesSchema(Schema):
    tasks = fields.String()
    emails = fields.String()
    delegate_id = fields.Integer(allow_none=True)


class TimeOffSchema(Schema):
    id = fields.Integer()
    user_id = fields.Integer()
    starts_on = Day()
    ends_on = Day()
    note = fields.String()
    preferences = fields.Nested(TimeOffPreferencesSchema)


class TeamRowSchema(Schema):
    user_id = fields.Integer()
    name = fields.String()
    open = fields.Integer()
    overdue = fields.Integer()
    completed_today = fields.Integer()
