"""Import schemas: the multipart upload and the import resource (OpenAPI components)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from sequencer.api.dump_fields import enum_value
from sequencer.models.imports import ImportStatus
from sequencer.people.csv_import.service import ON_DUPLICATE


class ImportUploadSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                               "description": "the CSV (any of UTF-8, UTF-16, Windows-1257/1252; "
                                                              "comma, semicolon or tab)"})
    mapping = fields.String(metadata={"description": "JSON object: column (header name or 0-based index) → "
                                                     "target (email, first_name, last_name, full_name, title, "
                                                     "company, company_domain, phone, linkedin_url, country, city, "
                                                     "state, location, timezone, language, persona, "
                                                     "`custom:<key>` or \"\" to ignore). Default: the mapping "
                                                     "remembered for this header, else a guess."})
    on_duplicate = fields.String(validate=validate.OneOf(ON_DUPLICATE), metadata={
        "description": "an email that already exists: fill its empty fields (default), overwrite, or skip"})
    owner_ids = fields.String(metadata={"description": "comma-separated user ids, assigned round-robin "
                                                       "(default: the caller)"})
    sequence_id = fields.Integer(metadata={"description": "enrol every imported prospect into this sequence"})
    activity_kind = fields.String(metadata={"description": "record as activity (lead scoring): every imported row "
                                                           "gets one, e.g. `webinar_attended` for attendees"})
    activity_at = fields.String(metadata={"description": "when it happened (ISO date or time; default now)"})
    activity_title = fields.String(metadata={"description": "e.g. the webinar's name"})
    mailbox_id = fields.Integer(metadata={"description": "send from this mailbox (default: each owner's)"})


class ImportIssueSchema(Schema):
    line = fields.Integer(metadata={"description": "line in the file (1 = the header)"})
    kind = fields.String(validate=validate.OneOf(["error", "duplicate", "suppressed"]))
    column = fields.String(allow_none=True)
    reason = fields.String()


class ImportSchema(Schema):
    """An import as the API returns it; dumped from the import row seen with its issues and report URL."""

    id = fields.Integer()
    status = enum_value(ImportStatus)
    filename = fields.String()
    encoding = fields.String()
    delimiter = fields.String()
    header = fields.List(fields.String())
    mapping = fields.Dict(keys=fields.String(), values=fields.String())
    options = fields.Dict()
    percent = fields.Integer()
    processed_rows = fields.Integer()
    created = fields.Integer(attribute="created_count")
    updated = fields.Integer(attribute="updated_count")
    skipped = fields.Integer(attribute="skipped_count")
    failed = fields.Integer(attribute="failed_count")
    enrolled = fields.Integer(attribute="enrolled_count")
    error = fields.String(allow_none=True)
    issues = fields.List(fields.Nested(ImportIssueSchema), metadata={"description": "the first 200 rows not imported"})
    error_report_url = fields.String(metadata={"description": "every row not imported, as CSV"})
