"""Handing a confirmed import to the work: small files inline (the user sees the result at once),
larger ones to an RQ worker (the page polls its progress)."""
from __future__ import annotations

from redis import Redis
from sqlalchemy.orm import Session

from sequencer.models import ProspectImport
from sequencer.people.csv_import.runner import run_import
from sequencer.people.csv_import.service import runs_inline
from sequencer.platform import clock, queues

JOB_TIMEOUT = 2 * 3600


def launch(session: Session, imp: ProspectImport, redis: Redis) -> str:
    """Run or enqueue `imp` (already committed as queued) on `redis`; returns `inline` or the job id."""
    if runs_inline(imp):
        run_import(session, imp.id, clock.now())
        return "inline"
    job = queues.enqueue(queues.DEFAULT, "workers.jobs.run_import", imp.id, connection=redis,
                         job_id=f"import-{imp.id}", job_timeout=JOB_TIMEOUT, result_ttl=3600)
    return job.id
