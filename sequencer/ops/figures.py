"""The database's figures for metrics, read at scrape time: what is true now, whoever restarted since."""
from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from sequencer.models import (
    Enrollment,
    EnrollmentStatus,
    ImportStatus,
    InboundMessage,
    Mailbox,
    ProspectImport,
    Step,
    StepRun,
    StepRunState,
    StepType,
    WebhookDelivery,
    WebhookEndpoint,
)
from sequencer.ops.waiting import category

EMAIL_STATES = (StepRunState.SENT, StepRunState.FAILED, StepRunState.UNCERTAIN, StepRunState.SENDING)


def emails_by_mailbox(session: Session) -> dict[tuple[str, str], int]:
    """(mailbox email, state) -> step runs in that state, for sent / failed / uncertain / sending."""
    rows = session.execute(
        select(Mailbox.email, StepRun.state, func.count()).join(Mailbox, Mailbox.id == StepRun.mailbox_id)
        .where(StepRun.state.in_(EMAIL_STATES)).group_by(Mailbox.email, StepRun.state))
    return {(email, state.value): count for email, state, count in rows}


def due_unsent_by_reason(session: Session, now: datetime) -> Counter[str]:
    """Automatic emails due by `now` and not sent, by why_waiting category; held runs count as `held`."""
    due = and_(StepRun.state == StepRunState.SCHEDULED, StepRun.due_at <= now, StepRun.holdout.is_(False))
    rows = session.execute(
        select(StepRun.why_waiting, func.count()).join(Enrollment, Enrollment.id == StepRun.enrollment_id)
        .join(Step, Step.id == StepRun.step_id)
        .where(due, Enrollment.status == EnrollmentStatus.ACTIVE, Step.type == StepType.AUTO_EMAIL)
        .group_by(StepRun.why_waiting))
    reasons: Counter[str] = Counter()
    for why, count in rows:
        reasons[category(why)] += count
    reasons["held"] += session.scalar(select(func.count()).select_from(StepRun)
                                      .where(StepRun.state == StepRunState.HELD)) or 0
    return reasons


def inbound_by_class(session: Session) -> dict[str, int]:
    rows = session.execute(select(InboundMessage.classification, func.count()).group_by(InboundMessage.classification))
    return {(cls or "unclassified"): count for cls, count in rows}


def import_rows(session: Session, now: datetime) -> tuple[int, float]:
    """(rows imported ever, rows per second of the imports running now, from their own progress)."""
    total = session.scalar(select(func.coalesce(func.sum(ProspectImport.processed_rows), 0))) or 0
    rate = 0.0
    running = session.execute(select(ProspectImport.processed_rows, ProspectImport.started_at,
                                     ProspectImport.heartbeat_at)
                              .where(ProspectImport.status == ImportStatus.RUNNING))
    for rows, started, beat in running:
        if started is None:
            continue
        seconds = ((beat or now) - started).total_seconds()
        if seconds > 0:
            rate += rows / seconds
    return int(total), rate


def webhook_deliveries(session: Session) -> dict[tuple[int, str], int]:
    """(endpoint id, pending | failed) -> deliveries in that state (delivered ones are history, not a figure)."""
    rows = session.execute(select(WebhookDelivery.endpoint_id, WebhookDelivery.status, func.count())
                           .where(WebhookDelivery.status.in_(("pending", "failed")))
                           .group_by(WebhookDelivery.endpoint_id, WebhookDelivery.status))
    return {(endpoint, status): count for endpoint, status, count in rows}


def webhook_endpoints_failing(session: Session) -> tuple[int, int]:
    """(endpoints failing now, endpoints disabled): the figures an operator alerts on."""
    failing = session.scalar(select(func.count()).select_from(WebhookEndpoint)
                             .where(WebhookEndpoint.enabled.is_(True), WebhookEndpoint.failing_since.is_not(None)))
    disabled = session.scalar(select(func.count()).select_from(WebhookEndpoint)
                              .where(WebhookEndpoint.enabled.is_(False)))
    return int(failing or 0), int(disabled or 0)
