"""Handing submissions to the worker: enqueue on arrival, and find the ones whose job Redis lost
(the database is the truth: a `received` row that sat too long is enqueued again; the claim dedupes)."""
from __future__ import annotations

from datetime import datetime, timedelta

import redis
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sequencer.models import FormSubmission
from sequencer.platform import queues

JOB = "workers.jobs.process_form_submission"
GRACE = timedelta(seconds=30)


def enqueue(conn: redis.Redis, submission_id: int) -> None:
    queues.enqueue(queues.DEFAULT, JOB, submission_id, connection=conn, job_timeout=300, result_ttl=600)


def stranded(session: Session, now: datetime, limit: int = 500) -> list[int]:
    s = FormSubmission
    return list(session.scalars(select(s.id).where(or_(
        (s.status == "received") & (s.created_at < now - GRACE),
        (s.status == "processing") & (s.claimed_until < now))).order_by(s.id).limit(limit)))


def claim_window(conn: redis.Redis, seconds: int = 10):
    """The duplicate window's fast path: True for the first submission of a key in `seconds` (SET NX)."""

    def first(key: str) -> bool:
        return bool(conn.set(f"forms:window:{key}", 1, nx=True, ex=seconds))

    return first
