"""What RQ holds, for the queue page and metrics: queues, workers, failed jobs with tracebacks, requeue."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import redis
from rq import Queue, Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.worker import BaseWorker

from sequencer.errors import NotFound
from sequencer.platform import queues
from sequencer.texts import tr


@dataclass(frozen=True)
class QueueStat:
    name: str
    depth: int
    oldest_age_seconds: float
    started: int
    failed: int


@dataclass(frozen=True)
class WorkerInfo:
    name: str
    state: str
    queues: str
    current_job: str | None
    last_heartbeat: datetime | None
    successful: int
    failed: int


@dataclass(frozen=True)
class FailedJob:
    id: str
    queue: str
    func: str
    ended_at: datetime | None
    traceback: str


def _oldest_age(queue: Queue, now: datetime) -> float:
    ids = queue.get_job_ids(0, 0)
    job = queue.fetch_job(ids[0]) if ids else None
    if job is None or job.enqueued_at is None:
        return 0.0
    enqueued = job.enqueued_at if job.enqueued_at.tzinfo else job.enqueued_at.replace(tzinfo=now.tzinfo)
    return max(0.0, (now - enqueued).total_seconds())


def queue_stats(conn: redis.Redis, now: datetime) -> list[QueueStat]:
    out = []
    for name in queues.ALL:
        q = queues.queue(name, conn)
        out.append(QueueStat(name=name, depth=q.count, oldest_age_seconds=_oldest_age(q, now),
                             started=q.started_job_registry.count, failed=q.failed_job_registry.count))
    return out


def workers(conn: redis.Redis) -> list[WorkerInfo]:
    return [WorkerInfo(name=w.name, state=_state(w), queues=", ".join(w.queue_names()),
                       current_job=w.get_current_job_id(), last_heartbeat=w.last_heartbeat,
                       successful=w.successful_job_count, failed=w.failed_job_count)
            for w in Worker.all(connection=conn)]


def _state(worker: BaseWorker) -> str:
    state = worker.get_state()
    value = str(getattr(state, "value", state))
    return "unknown" if value in {"?", ""} else value


def failed_jobs(conn: redis.Redis, limit: int = 50) -> list[FailedJob]:
    """The newest failed jobs of every queue, with the traceback RQ kept."""
    out: list[FailedJob] = []
    for name in queues.ALL:
        registry = queues.queue(name, conn).failed_job_registry
        for job in Job.fetch_many(registry.get_job_ids(0, limit - 1), connection=conn):
            if job is None:
                continue
            result = job.latest_result()
            trace = (result.exc_string if result is not None else None) or job.exc_info or ""
            out.append(FailedJob(id=job.id, queue=name, func=job.func_name or "?", ended_at=job.ended_at,
                                 traceback=trace))
    return sorted(out, key=lambda j: j.ended_at.timestamp() if j.ended_at else 0.0, reverse=True)[:limit]


def requeue(conn: redis.Redis, job_id: str) -> str:
    """Put one failed job back on its queue; returns the queue name."""
    try:
        job = Job.fetch(job_id, connection=conn)
    except NoSuchJobError:
        raise NotFound(tr("no job %(id)s", id=job_id)) from None
    registry = queues.queue(job.origin, conn).failed_job_registry
    if job_id not in registry.get_job_ids():
        raise NotFound(tr("job %(id)s is not among the failed jobs", id=job_id))
    registry.requeue(job_id)
    return job.origin


CRON_TICK_KEY = "sequencer:cron:last_tick"


def record_cron_tick(conn: redis.Redis, now: datetime) -> None:
    """`sequencer cron` writes this each loop; `doctor` and the queue page read it (gone after a day)."""
    conn.set(CRON_TICK_KEY, now.isoformat(), ex=86400)


def last_cron_tick(conn: redis.Redis) -> datetime | None:
    raw = conn.get(CRON_TICK_KEY)
    return datetime.fromisoformat(raw.decode() if isinstance(raw, bytes) else str(raw)) if raw else None
