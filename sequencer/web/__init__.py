"""The server-rendered UI (Jinja + htmx)."""
from flask import Blueprint

web_bp = Blueprint("web", __name__)

from sequencer.web import (  # noqa: E402,F401  (routes register on import)
    auth,
    builder,
    chips,
    deliverability,
    enroll,
    goal_reports,
    goals,
    hygiene,
    imports,
    inbound,
    mail_oauth,
    opportunity,
    outbox,
    pages,
    personas,
    pipeline,
    pipeline_reports,
    prospect_activity,
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
