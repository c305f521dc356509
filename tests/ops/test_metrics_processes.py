"""Prometheus metrics scraped from a real gunicorn (two workers) after a real `sequencer worker` ran jobs."""
from __future__ import annotations

import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from sequencer.platform import queues
from tests.ops.conftest import enrol_many, open_sequence, output, smtp_mailbox, wait_for
from tests.support.http import get
from tests.support.smtp_sink import Sink, free_port

TOKEN = "metrics-token-for-tests"


def _samples(text: str) -> dict[tuple[str, tuple], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def _value(samples: dict, name: str, **labels: str) -> float | None:
    return samples.get((name, tuple(sorted(labels.items()))))


def test_one_scrape_counts_every_web_worker_and_rq_worker(app, session, factory, redis_conn, spawn, tmp_path):
    metrics_dir = tmp_path / "prom"
    metrics_dir.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "METRICS_TOKEN": TOKEN}
    with Sink() as sink:
        mailbox = smtp_mailbox(factory, sink, email="ops-metrics@sequencer.test")
        seq = open_sequence(factory, session, mailbox)
        enrol_many(factory, session, seq, 1, mailbox.owner, mailbox_id=mailbox.id)
        factory.inbound_message(classification="reply")
        session.commit()
        queues.enqueue(queues.DISPATCH, "workers.jobs.dispatch", connection=redis_conn)
        queues.enqueue(queues.DEFAULT, "workers.jobs.no_such_job", connection=redis_conn)
        worker = spawn("worker", "--burst", env=env)
        assert worker.wait(timeout=90) == 0, output(worker)
        assert len(sink.handler.messages) == 1, output(worker)

    enrol_many(factory, session, seq, 2, mailbox.owner, mailbox_id=mailbox.id)  # due, no pass has seen them
    queues.enqueue(queues.DEFAULT, "workers.jobs.auto_promote", connection=redis_conn)  # waits: no worker now
    port = free_port()
    web = spawn(argv=[str(Path(sys.executable).parent / "gunicorn"), "-c", "python:sequencer.runtime.gunicorn_conf",
                      "--workers", "2", "--bind", f"127.0.0.1:{port}", "sequencer.wsgi:app"], env=env)
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: _get(f"{base}/healthz"), timeout=60, what="gunicorn")
    for _ in range(12):
        assert get(f"{base}/healthz").status == 200
    assert get(f"{base}/api/v1/imports/4242").status == 401

    assert get(f"{base}/metrics").status == 401
    assert get(f"{base}/metrics", headers={"Authorization": "Bearer wrong"}).status == 401
    reply = get(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert reply.status == 200, output(web)
    s = _samples(reply.text)

    # every web worker's requests are in one scrape (13 = 12 + the readiness probe that answered)
    healthz = _value(s, "sequencer_http_request_duration_seconds_count", endpoint="/healthz", method="GET",
                     status="200")
    assert healthz is not None and healthz >= 12
    assert _value(s, "sequencer_http_request_duration_seconds_count", endpoint="/api/v1/imports/<int:import_id>",
                  method="GET", status="401") == 1
    assert not any("4242" in str(key) for key in s)  # routes, never raw paths
    # the RQ worker's samples, written by another process that has exited
    assert _value(s, "sequencer_job_duration_seconds_count", job="dispatch") == 1
    assert _value(s, "sequencer_job_duration_seconds_count", job="send_batch") == 1
    assert _value(s, "sequencer_job_failures_total", job="no_such_job") == 1
    assert _value(s, "sequencer_dispatch_pass_seconds_count") == 1
    # read from the database and Redis at scrape time
    assert _value(s, "sequencer_emails_sent_total", mailbox="ops-metrics@sequencer.test") == 1
    assert _value(s, "sequencer_due_unsent_step_runs", reason="not_dispatched") == 2
    assert _value(s, "sequencer_inbound_messages_total", classification="reply") == 1
    assert _value(s, "sequencer_import_rows_total") == 0
    assert _value(s, "sequencer_queue_depth", queue="default") == 1
    assert _value(s, "sequencer_queue_oldest_job_age_seconds", queue="default") >= 0
    assert _value(s, "sequencer_queue_failed_jobs", queue="default") == 1
    assert _value(s, "sequencer_queue_depth", queue="send") == 0


def _get(url: str) -> bool:
    try:
        return get(url, timeout=2).status == 200
    except OSError:
        return False
