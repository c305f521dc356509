"""Handing a confirmed import to the work: small files inline (the user sees the result at once),
larger ones to an RQ worker (the page polls its progress). With the queue (Redis) unreachable the import
is stored as `waiting` and says why; the periodic `resume_imports` hands it on once Redis is back."""
from __future__ import annotations

from datetime import datetime

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError
from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.models import ImportStatus, ProspectImport
from sequencer.people.csv_import.runner import run_import, stalled
from sequencer.people.csv_import.service import runs_inline
from sequencer.platform import clock, queues

JOB_TIMEOUT = 2 * 3600
WAITING = ("the job queue (Redis) can't be reached, so no worker can start this import yet; it is stored and "
           "starts by itself within a few minutes of the queue coming back")


def _enqueue(imp: ProspectImport, redis: Redis) -> str:
    job = queues.enqueue(queues.DEFAULT, "workers.jobs.run_import", imp.id, connection=redis,
                         job_id=f"import-{imp.id}", job_timeout=JOB_TIMEOUT, result_ttl=3600)
    return job.id


def launch(session: Session, imp: ProspectImport, redis: Redis) -> str:
    """Run or enqueue `imp` (already committed as queued) on `redis`; returns `inline`, `waiting` or the job id."""
    if runs_inline(imp):
        run_import(session, imp.id, clock.now())
        return "inline"
    try:
        return _enqueue(imp, redis)
    except (RedisConnectionError, RedisTimeoutError):
        imp.status, imp.error = ImportStatus.WAITING, WAITING
        session.commit()
        return "waiting"


def resume(session: Session, redis: Redis, now: datetime) -> int:
    """Enqueue every import left waiting for the queue and every one whose worker went silent; how many."""
    ids = set(stalled(session, now)) | set(session.scalars(select(ProspectImport.id).where(
        ProspectImport.status == ImportStatus.WAITING)))
    for import_id in sorted(ids):
        imp = session.get(ProspectImport, import_id)
        if imp is None:
            continue
        _enqueue(imp, redis)
        if imp.status == ImportStatus.WAITING:
            imp.status, imp.error, imp.heartbeat_at = ImportStatus.QUEUED, None, now
        session.commit()
    return len(ids)
