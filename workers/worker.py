"""`sequencer worker`: an RQ worker with RQ's scheduler, serving every queue."""
from __future__ import annotations

from flask import Flask
from rq import Worker

from sequencer.extensions import redis_store
from workers import queues
from workers.context import bind_app


def run_worker(app: Flask, burst: bool = False) -> bool:
    bind_app(app)
    connection = redis_store.connection(app)
    worker = Worker([queues.queue(name, connection) for name in queues.ALL], connection=connection)
    return worker.work(burst=burst, with_scheduler=True)
