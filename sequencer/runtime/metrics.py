"""Prometheus series: counters and histograms recorded by every process, and gauges read at scrape time.

With PROMETHEUS_MULTIPROC_DIR set (an empty directory, wiped before start) every gunicorn worker and RQ
worker writes its samples there and a scrape of any web worker sums them all; gunicorn's `child_exit`
hook and each worker's exit mark the dead process. Figures the database or Redis know better than a
process's memory (emails per mailbox, due-but-unsent runs, queue depth) are read when scraped.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime

import redis
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session

from sequencer.ops import figures, rq_info

HTTP_LATENCY = Histogram("sequencer_http_request_duration_seconds", "Web request latency by route",
                         ["endpoint", "method", "status"])
JOB_DURATION = Histogram("sequencer_job_duration_seconds", "RQ job run time by job function", ["job"],
                         buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600))
JOB_FAILURES = Counter("sequencer_job_failures_total", "RQ jobs that raised, by job function", ["job"])
DISPATCH_PASS = Histogram("sequencer_dispatch_pass_seconds", "One dispatch pass (claims included)",
                          buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def mark_dead(pid: int) -> None:
    """Drop a finished process's live samples (gunicorn's child_exit, a worker's exit)."""
    if multiprocess_dir():
        multiprocess.mark_process_dead(pid)


class StateCollector(Collector):
    """Gauges and counters computed from the database and Redis each time Prometheus scrapes."""

    def __init__(self, session: Session, conn: redis.Redis | None, now: datetime):
        self.session, self.conn, self.now = session, conn, now

    def collect(self) -> Iterator:
        yield from self._emails()
        due = GaugeMetricFamily("sequencer_due_unsent_step_runs", "Emails due and not sent, by reason", labels=["reason"])
        for reason, count in sorted(figures.due_unsent_by_reason(self.session, self.now).items()):
            due.add_metric([reason], count)
        yield due
        inbound = CounterMetricFamily("sequencer_inbound_messages", "Inbound messages stored, by class",
                                      labels=["classification"])
        for cls, count in sorted(figures.inbound_by_class(self.session).items()):
            inbound.add_metric([cls], count)
        yield inbound
        total, rate = figures.import_rows(self.session, self.now)
        yield CounterMetricFamily("sequencer_import_rows", "CSV rows imported, all imports", value=total)
        yield GaugeMetricFamily("sequencer_import_rows_per_second", "Rows/s of the imports running now", value=rate)
        yield from self._webhooks()
        if self.conn is not None:
            yield from self._queues()

    def _emails(self) -> Iterator:
        names = {"sent": "sequencer_emails_sent", "failed": "sequencer_emails_failed"}
        families = {state: CounterMetricFamily(name, f"Emails {state}, per mailbox", labels=["mailbox"])
                    for state, name in names.items()}
        gauges = {state: GaugeMetricFamily(f"sequencer_emails_{state}", f"Emails {state} now, per mailbox",
                                           labels=["mailbox"]) for state in ("uncertain", "sending")}
        for (mailbox, state), count in sorted(figures.emails_by_mailbox(self.session).items()):
            (families.get(state) or gauges[state]).add_metric([mailbox], count)
        yield from families.values()
        yield from gauges.values()

    def _webhooks(self) -> Iterator:
        deliveries = GaugeMetricFamily("sequencer_webhook_deliveries", "Webhook deliveries pending or failed",
                                       labels=["endpoint", "status"])
        for (endpoint, status), count in sorted(figures.webhook_deliveries(self.session).items()):
            deliveries.add_metric([str(endpoint), status], count)
        yield deliveries
        failing, disabled = figures.webhook_endpoints_failing(self.session)
        yield GaugeMetricFamily("sequencer_webhook_endpoints_failing", "Enabled endpoints failing now", value=failing)
        yield GaugeMetricFamily("sequencer_webhook_endpoints_disabled", "Endpoints disabled", value=disabled)

    def _queues(self) -> Iterator:
        stats = rq_info.queue_stats(self.conn, self.now)  # type: ignore[arg-type]  # checked in collect
        depth = GaugeMetricFamily("sequencer_queue_depth", "Jobs waiting per RQ queue", labels=["queue"])
        age = GaugeMetricFamily("sequencer_queue_oldest_job_age_seconds", "Age of the oldest waiting job",
                                labels=["queue"])
        failed = GaugeMetricFamily("sequencer_queue_failed_jobs", "Jobs in the failed registry", labels=["queue"])
        for s in stats:
            depth.add_metric([s.name], s.depth)
            age.add_metric([s.name], s.oldest_age_seconds)
            failed.add_metric([s.name], s.failed)
        yield from (depth, age, failed)
        workers = GaugeMetricFamily("sequencer_rq_workers", "RQ workers registered")
        workers.add_metric([], len(rq_info.workers(self.conn)))  # type: ignore[arg-type]
        yield workers


def scrape(state: Collector) -> bytes:
    """The exposition text: every process's samples (multiprocess) or this one's, plus `state`."""
    scraped = CollectorRegistry()
    scraped.register(state)
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(scraped)
        return generate_latest(scraped)
    return generate_latest(REGISTRY) + generate_latest(scraped)
