"""Marshmallow schemas: they validate API input and generate the OpenAPI components."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate
from sqlalchemy.orm import object_session

from sequencer.api.dump_fields import Computed, UtcDateTime, enum_value
from sequencer.deliverability import mailbox_settings
from sequencer.inbound.bounces.mailbox_health import health
from sequencer.inbound.bounces.taxonomy import CLASSES, REASONS
from sequencer.inbound.imap import flagged
from sequencer.inbound.views import readable_text
from sequencer.models import Role
from sequencer.models.inbound import InboundStatus
from sequencer.models.mail import MailboxAuth, MailboxStatus, SmtpSecurity, Transport
from sequencer.platform import clock

ROLES = [r.value for r in Role]


class ErrorDetail(Schema):
    field = fields.String(metadata={"description": "the input field, dotted for nested ones"})
    message = fields.String()
    step = fields.Integer(metadata={"description": "sequence templates: the step (1-based)"})
    variant = fields.String(metadata={"description": "sequence templates: the variant's label"})
    persona = fields.String(metadata={"description": "sequence templates: the persona override's key"})
    line = fields.Integer(allow_none=True, metadata={"description": "sequence templates: the line in the template"})


class UsedBySequenceSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class ErrorInner(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    details = fields.List(fields.Nested(ErrorDetail))
    existing_id = fields.Integer(metadata={"description": "`duplicate`: the id of the existing record"})
    prospects = fields.Integer(metadata={"description": "deleting a persona in use: prospects of that persona"})
    sequences = fields.List(fields.Nested(UsedBySequenceSchema), metadata={
        "description": "deleting a persona in use: sequences holding copy for it"})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorInner, required=True)


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.Email()
    name = fields.String()
    role = enum_value(Role)
    timezone = fields.String()
    active = fields.Boolean()


class MailboxInSchema(Schema):
    email = fields.String(required=True)
    name = fields.String()
    transport = fields.String(load_default="outbox", validate=validate.OneOf(["smtp", "outbox"]))
    smtp_host = fields.String(allow_none=True)
    smtp_port = fields.Integer(allow_none=True, validate=validate.Range(1, 65535))
    smtp_username = fields.String(allow_none=True)
    smtp_password = fields.String(allow_none=True, load_only=True)
    smtp_starttls = fields.Boolean()
    smtp_security = fields.String(validate=validate.OneOf(["none", "starttls", "tls"]))
    daily_limit = fields.Integer(validate=validate.Range(1, 100_000))
    min_interval_seconds = fields.Integer(validate=validate.Range(0, 86_400))
    domain_daily_limit = fields.Integer(allow_none=True, validate=validate.Range(1, 100_000))
    owner_id = fields.Integer(allow_none=True)
    imap_host = fields.String(allow_none=True, metadata={"description": "polled for replies, bounces, auto-replies"})
    imap_port = fields.Integer(allow_none=True, validate=validate.Range(1, 65535))
    imap_username = fields.String(allow_none=True)
    imap_password = fields.String(allow_none=True, load_only=True)
    imap_security = fields.String(validate=validate.OneOf(["none", "starttls", "tls"]))
    imap_folders = fields.List(fields.String(), metadata={"description": "folders polled besides INBOX"})
    auth = fields.String(validate=validate.OneOf(
        ["password"], error="must be password: OAuth mailboxes are connected in Settings → Mailboxes"))
    warmup = fields.Dict(allow_none=True, metadata={
        "description": "{start, step, target, started_on}: the daily limit ramps from `start` by `step` each "
                       "business day to `target`; null sends at full speed. A new SMTP mailbox ramps from today "
                       "(10, +5) unless given"})
    pool_id = fields.Integer(allow_none=True, metadata={"description": "the mailbox pool it sends for"})
    dkim_selector = fields.String(allow_none=True, metadata={
        "description": "the DKIM selector its provider (or Sequencer) signs with, when not Google's or Microsoft's"})
    tracking_domain = fields.String(allow_none=True, metadata={
        "description": "host for links and pixels (a CNAME to BASE_URL's host), used once its check passes"})


class WarmupSchema(Schema):
    start = fields.Integer()
    step = fields.Integer()
    target = fields.Integer()
    started_on = fields.String(metadata={"format": "date"})
    limit_today = fields.Integer(metadata={"description": "the mailbox's daily limit today"})
    full_speed_on = fields.String(allow_none=True, metadata={"format": "date", "description": "the first day at `target`"})


class MailboxHealthSchema(Schema):
    sent_7d = fields.Integer(metadata={"description": "emails sent from this mailbox in the last 7 days"})
    hard_bounce_rate = fields.Float(metadata={"description": "hard bounces / sent, last 7 days"})
    complaint_rate = fields.Float(metadata={"description": "spam complaints / sent, last 7 days (keep under 0.003)"})
    sender_rejections_7d = fields.Integer(metadata={
        "description": "refusals of our mailbox or domain (DMARC, blocklists, spam, policy), last 7 days"})
    paused_reason = fields.String(allow_none=True)


class _Health(fields.Nested):
    """The mailbox's health, worked out from its events as of now."""

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = None) -> Any:
        session = object_session(obj)
        assert session is not None  # a mailbox the endpoint just loaded
        return health(session, obj, clock.now())


class _Warmup(fields.Nested):
    """The warm-up ramp and where it is today; null when the mailbox sends at full speed."""

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = None) -> Any:
        return mailbox_settings.serialize(obj, clock.now().date())["warmup"]


class MailboxSchema(Schema):
    """A mailbox as the API returns it: never a password, only whether one is set."""

    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    transport = enum_value(Transport)
    smtp_host = fields.String(allow_none=True)
    smtp_port = fields.Integer(allow_none=True)
    smtp_username = fields.String(allow_none=True)
    smtp_security = enum_value(SmtpSecurity)
    smtp_starttls = Computed(lambda m: m.smtp_security == SmtpSecurity.STARTTLS, "boolean")
    smtp_password_set = Computed(lambda m: bool(m.smtp_password_encrypted), "boolean")
    daily_limit = fields.Integer()
    min_interval_seconds = fields.Integer()
    domain_daily_limit = fields.Integer(allow_none=True)
    owner_id = fields.Integer(allow_none=True)
    status = enum_value(MailboxStatus)
    paused_reason = fields.String(allow_none=True)
    imap_host = fields.String(allow_none=True)
    imap_port = fields.Integer(allow_none=True)
    imap_username = fields.String(allow_none=True)
    imap_security = enum_value(SmtpSecurity)
    imap_folders = Computed(lambda m: list(m.imap_folders or []), "array", metadata={"items": {"type": "string"}})
    imap_password_set = Computed(lambda m: bool(m.imap_password_encrypted), "boolean")
    imap_failures = fields.Integer(metadata={"description": "failed polls in a row"})
    imap_error = fields.String(allow_none=True)
    imap_flagged = Computed(flagged, "boolean", metadata={
        "description": "polling failed repeatedly: an admin should look"})
    imap_checked_at = UtcDateTime(allow_none=True)
    health = _Health(MailboxHealthSchema, dump_only=True)
    auth = enum_value(MailboxAuth, metadata={
        "description": "password, or an OAuth grant (oauth_google, oauth_microsoft) connected in the UI"})
    reconnect_needed = Computed(lambda m: bool(m.oauth_reconnect_reason), "boolean", metadata={
        "description": "the OAuth grant was revoked or expired: sending is paused until someone connects it again"})
    warmup = _Warmup(WarmupSchema, dump_only=True, allow_none=True)
    pool_id = fields.Integer(allow_none=True)
    dkim_selector = fields.String(allow_none=True)
    dkim_signing = fields.Boolean(metadata={"description": "Sequencer signs its mail with its own DKIM key"})
    tracking_domain = fields.String(allow_none=True)
    awaiting_domain_check = fields.Boolean(metadata={
        "description": "a new mailbox holds its first email until its domain passes the DNS check"})


class PersonaInSchema(Schema):
    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9_]{1,64}$",
                        error="lower-case letters, digits and underscores, at most 64"))
    name = fields.String(required=True, validate=validate.Length(1, 200))
    description = fields.String(load_default="")
    title_keywords = fields.List(fields.String(), load_default=list)


class PersonaSchema(PersonaInSchema):
    id = fields.Integer()


class BounceSchema(Schema):
    reason = fields.String(validate=validate.OneOf(list(REASONS)))
    class_ = fields.String(data_key="class", attribute="class", validate=validate.OneOf(CLASSES), metadata={
        "description": "hard: prospect bounced; soft: retried; sender: our side, prospect "
                                              "untouched"})
    status = fields.String(allow_none=True, metadata={"description": "the enhanced status code (RFC 3463)"})
    recipient = fields.String(allow_none=True, metadata={"description": "the address that failed"})
    mta = fields.String(metadata={"description": "the server or service that wrote the report"})


class InboundResultSchema(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"description": "processed, unparsed or error (stored either way)"})
    classification = fields.String(allow_none=True, validate=validate.OneOf(
        ["reply", "auto_reply", "bounce", "complaint", "unsubscribe", "unmatched"]))
    bounce = fields.Nested(BounceSchema, allow_none=True, metadata={"description": "bounces only"})
    prospect_id = fields.Integer(allow_none=True)
    enrollment_id = fields.Integer(allow_none=True)
    resume_at = UtcDateTime(allow_none=True, metadata={"description": "auto_reply: when the enrolment resumes"})
    duplicate = fields.Boolean(metadata={"description": "this Message-ID had arrived before: nothing was done twice"})


class InboundMessageSchema(Schema):
    id = fields.Integer()
    message_id = fields.String(allow_none=True)
    source = fields.String()
    mailbox_id = fields.Integer(allow_none=True)
    folder = fields.String(allow_none=True)
    status = enum_value(InboundStatus)
    classification = fields.String(allow_none=True)
    sentiment = fields.String(allow_none=True)
    from_address = fields.String(allow_none=True)
    subject = fields.String(allow_none=True)
    size = fields.Integer()
    truncated = fields.Boolean()
    prospect_id = fields.Integer(allow_none=True)
    enrollment_id = fields.Integer(allow_none=True)
    step_run_id = fields.Integer(allow_none=True)
    resume_at = UtcDateTime(allow_none=True)
    detail = Computed(lambda m: m.detail or {}, "object", metadata={
        "description": "the rule that classified it, how it was matched, its effect"})
    error = fields.String(allow_none=True)
    received_at = UtcDateTime()
    processed_at = UtcDateTime(allow_none=True)
    text = Computed(readable_text, "string", metadata={"description": "the readable body (single message only)"})
