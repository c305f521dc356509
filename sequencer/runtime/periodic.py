"""The machinery of the periodic schedule: register it with RQ's CronScheduler, list it, run one job once.

The schedule itself (which job, on which queue, how often) is data in `workers/schedule.py`, next to
the job functions it names. The dependency runs from the RQ side to `sequencer`, never the reverse,
so `sequencer cron` and `sequencer jobs` reach the schedule through `load_schedule` alone.
"""
from __future__ import annotations

import importlib
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from rq.cron import CronScheduler

from sequencer.extensions import redis_store
from sequencer.ops.rq_info import record_cron_tick
from sequencer.platform import clock, shutdown
from sequencer.runtime.jobcontext import bound


@dataclass(frozen=True)
class Periodic:
    func: Callable[[], dict]
    queue: str
    interval_seconds: int
    timeout_seconds: int = 120

    @property
    def name(self) -> str:
        return self.func.__name__

    @property
    def every(self) -> str:
        """The interval for people: `15 s`, `15 min`, `1 h`."""
        seconds = self.interval_seconds
        for unit, size in (("h", 3600), ("min", 60)):
            if seconds >= size and seconds % size == 0:
                return f"{seconds // size} {unit}"
        return f"{seconds} s"


def load_schedule() -> tuple[Periodic, ...]:
    """The periodic jobs of the schedule module, loaded by name when a command runs.

    A static reference would make `sequencer` depend on the RQ side, whose jobs depend on `sequencer`;
    the dependency rule allows only that direction, so this one run-time lookup is the bridge.
    """
    return tuple(importlib.import_module("workers.schedule").SCHEDULE)


def by_name(schedule: tuple[Periodic, ...]) -> dict[str, Periodic]:
    return {item.name: item for item in schedule}


class GracefulCron(CronScheduler):
    """RQ's CronScheduler, but SIGTERM/SIGINT only ask it to stop: it finishes the tick it is in (enqueueing
    and saving together) and exits before the next one; each tick is recorded in Redis for `doctor`."""

    def _install_signal_handlers(self) -> None:
        signal.signal(signal.SIGINT, self._ask_stop)
        signal.signal(signal.SIGTERM, self._ask_stop)

    def _ask_stop(self, signum: int, _frame: object) -> None:
        self.log.info("CronScheduler %s: signal %s, stopping after this tick", self.name, signum)
        shutdown.request()

    def start(self) -> None:
        self._install_signal_handlers()
        self.register_birth()
        try:
            while not shutdown.requested():
                if self.enqueue_jobs():
                    self.save()
                self.heartbeat()
                record_cron_tick(self.connection, clock.now())
                shutdown.wait(self.calculate_sleep_interval())
        finally:
            self.register_death()
            self.log.info("CronScheduler %s: stopped", self.name)


def build_cron(app: Flask, schedule: tuple[Periodic, ...]) -> CronScheduler:
    cron = GracefulCron(connection=redis_store.connection(app), logging_level=logging.INFO)
    for item in schedule:
        cron.register(item.func, queue_name=item.queue, interval=item.interval_seconds,
                      job_timeout=item.timeout_seconds)
    return cron


def run_cron(app: Flask) -> None:
    """`sequencer cron`: enqueue each periodic job when due; several of these running are harmless."""
    build_cron(app, load_schedule()).start()


def run_once(app: Flask, item: Periodic, now: datetime) -> dict:
    """Run one periodic job in this process, with `app` bound for it and the clock frozen at `now`.

    Jobs read the time only from the clock, so freezing it is what makes them run "as of" `now`.
    """
    with bound(app), clock.frozen(now):
        return item.func()
