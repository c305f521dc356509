"""Handing submissions to the worker. A POST only raises a flag in Redis (one SET); the first flag of a burst
enqueues a fan-out job that clears it, then enqueues every `received` submission (so a row committed after
the clear raises the flag again: nothing waits for the periodic sweep). The database is the truth: rows
whose job Redis lost are found again by `stranded`, and the claim makes every extra job harmless."""
from __future__ import annotations

from datetime import datetime, timedelta

import redis
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sequencer.models import FormSubmission
from sequencer.platform import queues

JOB = "workers.jobs.process_form_submission"
FAN_OUT = "workers.jobs.fan_out_form_submissions"
DISPATCH = "workers.jobs.dispatch_form_welcomes"
KICK, DISPATCH_KICK = "forms:kick", "forms:dispatch-kick"
GRACE = timedelta(seconds=30)


def enqueue(conn: redis.Redis, submission_id: int) -> None:
    queues.enqueue(queues.DEFAULT, JOB, submission_id, connection=conn, job_timeout=300, result_ttl=600)


def kick(conn: redis.Redis) -> None:
    """After a submission is committed: wake the fan-out unless one is already waiting to run."""
    if conn.set(KICK, 1, nx=True, px=5_000):  # a lost fan-out job holds the flag 5 s at most
        queues.enqueue(queues.DEFAULT, FAN_OUT, connection=conn, job_timeout=120, result_ttl=60)


def fan_out(session: Session, conn: redis.Redis, limit: int = 1000) -> int:
    """Clear the flag first, then enqueue what is waiting: a submission committed after this read kicks again."""
    conn.delete(KICK)
    ids = list(session.scalars(select(FormSubmission.id).where(FormSubmission.status == "received")
                               .order_by(FormSubmission.id).limit(limit)))
    for submission_id in ids:
        enqueue(conn, submission_id)
    return len(ids)


def kick_dispatch(conn: redis.Redis) -> None:
    """A welcome email is due now: one dispatch pass for a burst of hand-offs, not one per lead."""
    if conn.set(DISPATCH_KICK, 1, nx=True, px=5_000):
        queues.enqueue(queues.DISPATCH, DISPATCH, connection=conn, job_timeout=300, result_ttl=60)


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
