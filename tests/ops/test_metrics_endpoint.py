"""`/metrics` in-process: off without METRICS_TOKEN, and the database figures it reads at scrape time."""
from __future__ import annotations

from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from sequencer.models import ImportStatus, ProspectImport, StepRunState
from sequencer.platform import clock

TOKEN = "t0ken"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "METRICS_TOKEN": TOKEN}


def _scrape(client) -> dict:
    reply = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert reply.status_code == 200
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for f in text_string_to_metric_families(reply.get_data(as_text=True)) for s in f.samples}


def test_emails_per_mailbox_and_import_speed(client, factory, session):
    mailbox = factory.mailbox(email="m@sequencer.test")
    enrollment = factory.enrollment()
    for state in (StepRunState.SENT, StepRunState.FAILED, StepRunState.UNCERTAIN, StepRunState.UNCERTAIN):
        factory.step_run(enrollment, mailbox_id=mailbox.id, state=state, position=100 + len(enrollment.step_runs))
    now = clock.now()
    session.add(ProspectImport(filename="x.csv", encoding="utf-8", delimiter=",", status=ImportStatus.RUNNING,
                               processed_rows=5000, started_at=now - timedelta(seconds=10), heartbeat_at=now))
    session.commit()
    s = _scrape(client)
    label = (("mailbox", "m@sequencer.test"),)
    assert s[("sequencer_emails_sent_total", label)] == 1
    assert s[("sequencer_emails_failed_total", label)] == 1
    assert s[("sequencer_emails_uncertain", label)] == 2
    assert s[("sequencer_import_rows_total", ())] == 5000
    assert s[("sequencer_import_rows_per_second", ())] == pytest.approx(500)


def test_metrics_are_off_without_a_token(app, client):
    app.config["METRICS_TOKEN"] = None
    assert client.get("/metrics").status_code == 404


def test_webhook_deliveries_pending_and_failed_per_endpoint(client, session):
    from sequencer.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

    now = clock.now()
    live = WebhookEndpoint(url="https://crm.example/hook", secret="x", failing_since=now)
    off = WebhookEndpoint(url="https://old.example/hook", secret="x", enabled=False)
    event = WebhookEvent(type="prospect.created", occurred_at=now, data={})
    session.add_all([live, off, event])
    session.flush()
    for status in ("pending", "pending", "failed", "delivered"):
        session.add(WebhookDelivery(endpoint_id=live.id, event_id=event.id, status=status, next_attempt_at=now))
    session.commit()
    s = _scrape(client)
    assert s[("sequencer_webhook_deliveries", (("endpoint", str(live.id)), ("status", "pending")))] == 2
    assert s[("sequencer_webhook_deliveries", (("endpoint", str(live.id)), ("status", "failed")))] == 1
    assert ("sequencer_webhook_deliveries", (("endpoint", str(live.id)), ("status", "delivered"))) not in s
    assert s[("sequencer_webhook_endpoints_failing", ())] == 1
    assert s[("sequencer_webhook_endpoints_disabled", ())] == 1
