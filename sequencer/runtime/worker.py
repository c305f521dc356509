"""`sequencer worker`: an RQ worker with RQ's scheduler, serving every queue.

Jobs run in the worker process by default (RQ's SimpleWorker): our jobs are short and keep no state,
and a fork per job would throw away the database pool and template caches (measured: +50% sends/s).
`--fork` gives RQ's forking Worker for isolation from misbehaving jobs. RQ finds each job by its dotted
path (`workers.jobs.…`), so this module needs no reference to the job functions.

RQ's scheduler runs in a child process that exits when Redis goes away, and RQ looks at it again only
every ten minutes (leaving a defunct child meanwhile): a watcher thread reaps it and starts a new one as
soon as Redis answers again.
"""
from __future__ import annotations

import logging
import threading

from flask import Flask
from redis.exceptions import RedisError
from rq import SimpleWorker, Worker

from sequencer.extensions import redis_store
from sequencer.platform import queues
from sequencer.runtime.jobcontext import bind_app

WATCH_SECONDS = 5.0
log = logging.getLogger(__name__)


def restart_scheduler(worker: Worker) -> bool:
    """Reap this worker's scheduler child if it died and start a new one; True when a new one runs."""
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


def run_worker(app: Flask, burst: bool = False, fork: bool = False) -> bool:
    bind_app(app)
    connection = redis_store.connection(app)
    worker_class = Worker if fork else SimpleWorker
    worker = worker_class([queues.queue(name, connection) for name in queues.ALL], connection=connection)
    stop = threading.Event()
    if not burst:
        threading.Thread(target=_watch, args=(worker, stop), name="scheduler-watch", daemon=True).start()
    try:
        return worker.work(burst=burst, with_scheduler=True)
    finally:
        stop.set()
