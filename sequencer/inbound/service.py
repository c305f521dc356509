"""The one function all three doors (HTTP, CLI, IMAP) call: store the raw message first, then act on it once.

Storing is its own committed transaction before any parsing, so a crash or a bug in the
classifier never loses a message. Processing is claimed with a conditional update keyed by
Message-ID, so the same message arriving through two doors, twice through one, or on two workers
at once has its effects exactly once. A failure marks the stored row `error` with the reason; an
admin can reprocess it from the Inbound page.
"""
from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sequencer.inbound.classify import classify
from sequencer.inbound.effects import Effect, apply
from sequencer.inbound.parse import fallback_message_id, parse, peek_message_id
from sequencer.models import Event, InboundMessage
from sequencer.models.inbound import InboundStatus
from sequencer.platform.db import rowcount
from sequencer.texts import tr

log = logging.getLogger(__name__)
MAX_BYTES = 25 * 1024 * 1024  # larger messages are stored truncated (and say so)
STALE_CLAIM = timedelta(minutes=5)  # a worker that died mid-processing gives the message back after this


@dataclass
class IngestResult:
    id: int
    status: str
    classification: str | None
    prospect_id: int | None
    enrollment_id: int | None
    resume_at: datetime | None
    duplicate: bool = False
    bounce: dict | None = None

    @classmethod
    def of(cls, row: InboundMessage, duplicate: bool = False) -> IngestResult:
        return cls(row.id, row.status.value, row.classification, row.prospect_id, row.enrollment_id,
                   row.resume_at, duplicate, bounce_summary(row))


def bounce_summary(row: InboundMessage) -> dict | None:
    """The API's `bounce` object of a bounce: {reason, class, status, recipient, mta}."""
    detail = (row.detail or {}).get("bounce") if row.classification == "bounce" else None
    if not detail:
        return None
    recipients = detail.get("recipients") or []
    return {"reason": detail.get("reason", "undetermined"), "class": detail.get("class", "hard" if detail.get("hard")
                                                                               else "soft"),
            "status": detail.get("status"), "recipient": detail.get("recipient") or (recipients[0] if recipients
                                                                                     else None),
            "mta": detail.get("mta", "unknown")}


def store(session: Session, raw: bytes, *, source: str, now: datetime, mailbox_id: int | None = None,
          folder: str | None = None, max_bytes: int = MAX_BYTES) -> tuple[InboundMessage, bool]:
    """Insert the raw message (committed) and return (row, created); an existing Message-ID is not stored twice."""
    message_id = peek_message_id(raw) or fallback_message_id(raw)
    values: dict[str, Any] = {"message_id": message_id, "mailbox_id": mailbox_id, "source": source, "raw": raw[:max_bytes],
              "size": len(raw), "truncated": len(raw) > max_bytes, "status": InboundStatus.RECEIVED.value,
              "folder": folder, "detail": {}, "received_at": now}
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT DO NOTHING
    created = session.execute(insert(InboundMessage).values(**values).on_conflict_do_nothing(
        index_elements=["message_id"]).returning(InboundMessage.id)).scalar() is not None
    session.commit()
    row = session.scalars(select(InboundMessage).where(InboundMessage.message_id == message_id)).one()
    return row, bool(created)


def _claim(session: Session, row: InboundMessage, now: datetime, force: bool) -> bool:
    claimable = [InboundMessage.status.in_((InboundStatus.RECEIVED, InboundStatus.ERROR)),
                 (InboundMessage.status == InboundStatus.PROCESSING) & (InboundMessage.processed_at < now - STALE_CLAIM)]
    if force:
        claimable.append(InboundMessage.status.in_((InboundStatus.PROCESSED, InboundStatus.UNPARSED)))
    won = rowcount(session.execute(update(InboundMessage).where(InboundMessage.id == row.id, or_(*claimable))
                          .values(status=InboundStatus.PROCESSING, processed_at=now, error=None)
                          .execution_options(synchronize_session=False)))
    session.commit()
    session.refresh(row)
    return bool(won)


def process(session: Session, row: InboundMessage, now: datetime, force: bool = False) -> IngestResult:
    """Classify the stored message and apply its effects, once; a second call returns the first outcome."""
    if not _claim(session, row, now, force):
        return IngestResult.of(row, duplicate=True)
    row_id = row.id
    try:
        parsed = parse(row.raw)
        verdict = classify(session, parsed, (parsed.date or now).date())
        found = verdict.match
        row.from_address, row.subject = parsed.from_address, (parsed.subject or None)
        row.classification, row.sentiment = verdict.classification, verdict.sentiment
        row.prospect_id = found.prospect.id if found.prospect else None
        row.enrollment_id = found.enrollment.id if found.enrollment else None
        row.step_run_id = found.step_run.id if found.step_run else None
        if session.scalar(select(Event.id).where(Event.inbound_message_id == row.id).limit(1)) is None:
            effect = apply(session, row, verdict, parsed, now)
        else:  # a reprocess of a message that already acted: reclassify, don't act twice
            effect = Effect(resume_at=row.resume_at, summary=tr("%(effect)s (already applied; reclassified only)",
                                                                effect=(row.detail or {}).get("effect") or "effects"))
        row.resume_at = effect.resume_at
        row.detail = {"rule": verdict.rule, "match": found.method, "effect": effect.summary,
                      "return_date": verdict.return_date.isoformat() if verdict.return_date else None,
                      "bounce": verdict.bounce.as_detail() if verdict.bounce else None,
                      "left_company": verdict.left_company or None}
        row.status = InboundStatus.PROCESSED if parsed.parsed else InboundStatus.UNPARSED
        row.processed_at = now
        session.commit()
    except Exception as exc:  # noqa: BLE001 - the message is stored; record why and keep going
        session.rollback()
        log.exception("inbound message %s could not be processed", row_id)
        session.execute(update(InboundMessage).where(InboundMessage.id == row_id).values(
            status=InboundStatus.ERROR, error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"[:5000],
            processed_at=now).execution_options(synchronize_session=False))
        session.commit()
        row = session.get_one(InboundMessage, row_id)  # stored and committed before processing
        session.refresh(row)
    return IngestResult.of(row)


def ingest(session: Session, raw: bytes, *, source: str, now: datetime, mailbox_id: int | None = None,
           folder: str | None = None, max_bytes: int = MAX_BYTES) -> IngestResult:
    row, created = store(session, raw, source=source, now=now, mailbox_id=mailbox_id, folder=folder,
                         max_bytes=max_bytes)
    result = process(session, row, now)
    result.duplicate = result.duplicate or not created
    return result


def stuck(session: Session, now: datetime, limit: int = 100) -> list[int]:
    """Messages stored but never processed (a crash between the two steps): the sweep picks them up."""
    return list(session.scalars(select(InboundMessage.id).where(
        or_(InboundMessage.status == InboundStatus.RECEIVED,
            (InboundMessage.status == InboundStatus.PROCESSING) & (InboundMessage.processed_at < now - STALE_CLAIM)),
        InboundMessage.received_at < now - timedelta(minutes=1)).order_by(InboundMessage.id).limit(limit)))
