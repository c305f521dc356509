"""`sequencer worker`: an RQ worker with RQ's scheduler, serving every queue.

Jobs run in the worker process by default (RQ's SimpleWorker): our jobs are short and keep no state,
and a fork per job would throw away the database pool and template caches (measured: +50% sends/s).
`--fork` gives RQ's forking Worker for isolation from misbehaving jobs. RQ finds each job by its dotted
path (`workers.jobs.…`), so this module needs no reference to the job functions.
"""
from __future__ import annotations

from flask import Flask
from rq import SimpleWorker, Worker

from sequencer.extensions import redis_store
from sequencer.platform import queues
from sequencer.runtime.jobcontext import bind_app


def run_worker(app: Flask, burst: bool = False, fork: bool = False) -> bool:
    bind_app(app)
    connection = redis_store.connection(app)
    worker_class = Worker if fork else SimpleWorker
    worker = worker_class([queues.queue(name, connection) for name in queues.ALL], connection=connection)
    return worker.work(burst=burst, with_scheduler=True)
