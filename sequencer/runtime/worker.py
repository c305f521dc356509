"""`sequencer worker`: an RQ worker with RQ's scheduler, serving every queue.

Jobs run in the worker process by default (RQ's SimpleWorker): our jobs are short and keep no state,
and a fork per job would throw away the database pool and template caches (measured: +50% sends/s).
`--fork` gives RQ's forking Worker for isolation from misbehaving jobs. RQ finds each job by its dotted
path (`workers.jobs.…`), so this module needs no reference to the job functions.

RQ's scheduler runs in a child process that exits when Redis goes away, and RQ looks at it again only
every ten minutes (leaving a defunct child meanwhile): a watcher thread reaps it and starts a new one as
soon as Redis answers again.

SIGTERM (or Ctrl-C) is RQ's warm shutdown: the job in flight goes on and the worker exits after it. A send
batch checks `platform.shutdown` between emails, so it stops after the email on the wire and gives the
rest of its claim back (scheduled again) instead of holding the shutdown for a whole batch.
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
import time

from flask import Flask
from redis.exceptions import RedisError
from rq import SimpleWorker, Worker
from rq.job import Job
from rq.queue import Queue

from sequencer.extensions import redis_store
from sequencer.platform import queues, shutdown
from sequencer.runtime import logs, metrics, sentry
from sequencer.runtime.jobcontext import bind_app

WATCH_SECONDS = 5.0
log = logging.getLogger(__name__)


def restart_scheduler(worker: Worker) -> bool:
    """Reap this worker's scheduler child if it died and start a new one; True when a new one runs.

    Never while the worker is stopping: its warm shutdown stops the scheduler on purpose, and a new one
    started then is a child process the exiting worker waits on for ever."""
    if shutdown.requested():
        return False
    scheduler = worker.scheduler
    process = getattr(scheduler, "_process", None)
    if scheduler is None or process is None or process.is_alive():  # is_alive() also reaps a dead child
        return False
    process.join(timeout=0)
    try:
        scheduler.acquire_locks(auto_start=True)
    except RedisError as exc:
        log.warning("the RQ scheduler is down and Redis still refuses: %s", exc)
        return False
    started = scheduler._process is not process and scheduler._process is not None
    if started:
        log.warning("the RQ scheduler had stopped (exit code %s); started a new one", process.exitcode)
    return started


def _watch(worker: Worker, stop: threading.Event) -> None:
    while not stop.wait(WATCH_SECONDS):
        try:
            restart_scheduler(worker)
        except Exception:  # the watcher must outlive anything one check can raise
            log.exception("checking the RQ scheduler failed")


def _claim_token(job: Job) -> str | None:
    """Send jobs carry their claim's token as the third argument (and in the job id, `send-<token>`)."""
    if (job.func_name or "").endswith(".send_batch") and len(job.args) >= 3:
        return str(job.args[2])
    return None


class _Operated:
    """Times each job, counts failures, and puts the job id and claim token on its log lines."""

    def perform_job(self, job: Job, queue: Queue, execution) -> bool:
        name = (job.func_name or "?").rsplit(".", 1)[-1]
        logs.bind(job_id=job.id, claim_token=_claim_token(job))
        started = time.perf_counter()
        try:
            ok = super().perform_job(job, queue, execution)  # type: ignore[misc]
        finally:
            metrics.JOB_DURATION.labels(name).observe(time.perf_counter() - started)
            logs.clear()
        if not ok:
            metrics.JOB_FAILURES.labels(name).inc()
        return ok

    def request_stop(self, signum, frame) -> None:
        shutdown.request()
        super().request_stop(signum, frame)  # type: ignore[misc]


class OperatedSimpleWorker(_Operated, SimpleWorker):
    pass


class OperatedWorker(_Operated, Worker):
    pass


def run_worker(app: Flask, burst: bool = False, fork: bool = False) -> bool:
    bind_app(app)
    sentry.init(app.config.get("SENTRY_DSN"), component="worker")
    pid = os.getpid()
    atexit.register(metrics.mark_dead, pid)
    connection = redis_store.connection(app)
    worker_class = OperatedWorker if fork else OperatedSimpleWorker
    worker = worker_class([queues.queue(name, connection) for name in queues.ALL], connection=connection)
    stop = threading.Event()
    if not burst:
        threading.Thread(target=_watch, args=(worker, stop), name="scheduler-watch", daemon=True).start()
    try:
        return worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
    finally:
        stop.set()
