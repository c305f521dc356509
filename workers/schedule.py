"""The periodic schedule, declared as data; `sequencer cron` runs it with RQ's CronScheduler."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask
from rq.cron import CronScheduler

from sequencer.extensions import redis_store
from workers import jobs, queues


@dataclass(frozen=True)
class Periodic:
    func: object
    queue: str
    interval_seconds: int
    timeout_seconds: int = 120


SCHEDULE: tuple[Periodic, ...] = (
    Periodic(jobs.dispatch, queues.DISPATCH, interval_seconds=15),
    Periodic(jobs.poll_inbound, queues.DEFAULT, interval_seconds=60),
    Periodic(jobs.remind_stale, queues.DEFAULT, interval_seconds=900),
    Periodic(jobs.resume_imports, queues.DEFAULT, interval_seconds=120),
    Periodic(jobs.auto_promote, queues.DEFAULT, interval_seconds=3600, timeout_seconds=600),
)


def build_cron(app: Flask) -> CronScheduler:
    cron = CronScheduler(connection=redis_store.connection(app), logging_level=logging.INFO)
    for item in SCHEDULE:
        cron.register(item.func, queue_name=item.queue, interval=item.interval_seconds,
                      job_timeout=item.timeout_seconds)
    return cron


def run_cron(app: Flask) -> None:
    build_cron(app).start()
