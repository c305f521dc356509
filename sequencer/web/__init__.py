"""The server-rendered UI (Jinja + htmx)."""
from flask import Blueprint

web_bp = Blueprint("web", __name__)

from sequencer.web import (  # noqa: E402,F401  (routes register on import)
    auth,
    builder,
    chips,
    enroll,
    forms_admin,
    hygiene,
    imports,
    inbound,
    opportunity,
    outbox,
    pages,
    personas,
    pipeline,
    pipeline_reports,
    prospects,
    queues,
    reports,
    scoring,
    send_review,
    sequence_reports,
    sequences,
    settings,
    task_actions,
    task_email,
    tasks,
    team,
    tokens,
    webhooks,
)
