"""RQ queue names, and enqueueing by dotted job path: `sequencer` hands work to the jobs without a reference to them."""
from __future__ import annotations

import redis
from rq import Queue
from rq.job import Job

DISPATCH = "dispatch"
SEND = "send"
DEFAULT = "default"
WEBHOOKS = "webhooks"  # its own queue: a dedicated worker can serve it, and it never sits before sending
ALL = (DISPATCH, SEND, DEFAULT, WEBHOOKS)  # the order a worker serves them: dispatch before sending before the rest


def queue(name: str, connection: redis.Redis) -> Queue:
    return Queue(name, connection=connection)


def enqueue(name: str, job_path: str, *args: object, connection: redis.Redis, **options: object) -> Job:
    """Put the job at `job_path` (e.g. "workers.jobs.dispatch") on queue `name`; only the worker loads it."""
    return queue(name, connection).enqueue(job_path, *args, **options)
