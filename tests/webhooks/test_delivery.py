"""Delivery to a real loopback receiver that verifies signatures with the standardwebhooks library."""
from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from sequencer.extensions import db
from sequencer.mail.sending import settings_for
from sequencer.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from sequencer.platform import clock
from sequencer.webhooks import log
from sequencer.webhooks.drain import DrainSettings
from sequencer.webhooks.guard import AllowList
from sequencer.webhooks.owner_mail import email_owner, to_tell
from sequencer.webhooks.pump import pump
from tests.webhooks.receiver import Receiver


def _delivery(session) -> WebhookDelivery:
    session.expire_all()
    return session.scalars(select(WebhookDelivery)).one()


def test_an_event_arrives_signed_once_with_its_stable_id_and_the_attempt_is_logged(session, factory, receiver,
                                                                                     add_endpoint, drain_settings):
    add_endpoint(receiver, ["prospect.*"])
    p = factory.prospect(first_name="Jonas")
    factory.task()  # task.created: not wanted by this endpoint
    session.commit()
    result = pump(db.engine, drain_settings)
    event = session.scalars(select(WebhookEvent).where(WebhookEvent.type == "prospect.created")).one()
    assert result.delivered == 1 and receiver.rejected == []
    (got,) = receiver.received
    assert got["id"] == f"evt_{event.id}"
    assert got["body"]["type"] == "prospect.created" and got["body"]["data"]["first_name"] == "Jonas"
    assert got["body"]["data"]["id"] == p.id and got["body"]["timestamp"].endswith("Z")
    attempt = session.scalars(select(WebhookAttempt)).one()
    assert attempt.status_code == 200 and attempt.response_body == "ok" and attempt.latency_ms >= 0
    assert "webhook-signature" not in attempt.request_headers
    assert pump(db.engine, drain_settings).delivered == 0  # a second run finds nothing to do


def test_a_failing_receiver_is_retried_on_the_schedule_and_recovers(session, factory, receiver, add_endpoint,
                                                                    drain_settings):
    endpoint = add_endpoint(receiver)
    receiver.behaviour.fail_times = 2
    factory.prospect()
    session.commit()
    start = clock.now() - timedelta(minutes=8)  # receivers refuse timestamps more than 5 minutes off real time
    with clock.frozen(start):
        pump(db.engine, drain_settings)
        d = _delivery(session)
        assert (d.status, d.attempts, d.last_status) == ("pending", 1, 500)
        assert d.next_attempt_at == start + timedelta(seconds=5)
        assert pump(db.engine, drain_settings).delivered == 0  # the endpoint backs off as a whole
    with clock.frozen(start + timedelta(seconds=6)):
        pump(db.engine, drain_settings)
        d = _delivery(session)
        assert (d.attempts, d.next_attempt_at) == (2, start + timedelta(seconds=6, minutes=5))
    with clock.frozen(start + timedelta(minutes=6)):
        assert pump(db.engine, drain_settings).delivered == 1
    d = _delivery(session)
    assert (d.status, d.attempts) == ("delivered", 3)
    assert session.get(WebhookEndpoint, endpoint.id).failing_since is None
    assert len(receiver.received) == 1 and receiver.requests == 3


def test_retry_after_is_honoured(session, factory, receiver, add_endpoint, drain_settings):
    add_endpoint(receiver)
    receiver.behaviour.fail_times, receiver.behaviour.fail_status = 1, 429
    receiver.behaviour.headers = {"Retry-After": "120"}
    factory.prospect()
    session.commit()
    with clock.frozen(clock.now()) as now:
        pump(db.engine, drain_settings)
        assert _delivery(session).next_attempt_at == now + timedelta(seconds=120)


def test_410_gone_disables_the_endpoint(session, factory, receiver, add_endpoint, drain_settings):
    endpoint = add_endpoint(receiver)
    receiver.behaviour.status = 410
    factory.prospect()
    session.commit()
    pump(db.engine, drain_settings)
    session.expire_all()
    row = session.get(WebhookEndpoint, endpoint.id)
    assert not row.enabled and "410" in row.disabled_reason


def test_five_days_of_failing_disables_the_endpoint_and_emails_its_owner(app, session, factory, receiver,
                                                                         add_endpoint, drain_settings):
    endpoint = add_endpoint(receiver)
    receiver.behaviour.status = 503
    factory.prospect()
    session.commit()
    with clock.frozen(clock.now()) as now:
        session.get(WebhookEndpoint, endpoint.id).failing_since = now - timedelta(days=5)
        session.commit()
        result = pump(db.engine, drain_settings)
    assert result.disabled == [endpoint.id] and to_tell(session) == [endpoint.id]
    assert email_owner(session, endpoint.id, settings_for(app.config))
    assert not email_owner(session, endpoint.id, settings_for(app.config)) and to_tell(session) == []  # once
    sent = list(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))
    assert len(sent) == 1 and b"five days" in sent[0].read_bytes()
    assert add_endpoint.manager.email.encode() in sent[0].read_bytes()


def test_redirects_are_not_followed(session, factory, receiver, add_endpoint, drain_settings):
    other = Receiver()
    try:
        add_endpoint(receiver)
        receiver.behaviour.status = 302
        receiver.behaviour.headers = {"Location": other.url}
        factory.prospect()
        session.commit()
        pump(db.engine, drain_settings)
        assert other.requests == 0
        assert _delivery(session).last_status == 302 and _delivery(session).status == "pending"
    finally:
        other.close()


def test_the_guard_runs_again_at_delivery_time(session, factory, receiver, add_endpoint, drain_settings):
    add_endpoint(receiver)
    factory.prospect()
    session.commit()
    strict = DrainSettings(box=drain_settings.box, allow=AllowList.parse(""), budget=drain_settings.budget)
    pump(db.engine, strict)
    assert receiver.requests == 0
    assert "loopback" in _delivery(session).last_error


def test_one_delivery_or_a_time_range_can_be_replayed(session, factory, receiver, add_endpoint, drain_settings):
    endpoint = add_endpoint(receiver)
    factory.prospect()
    factory.prospect()
    session.commit()
    pump(db.engine, drain_settings)
    first = session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).first()
    log.replay(session, add_endpoint.manager, endpoint.id, first.id, clock.now())
    session.commit()
    pump(db.engine, drain_settings)
    assert receiver.ids().count(f"evt_{first.event_id}") == 2 and len(receiver.received) == 3
    n = log.replay_range(session, add_endpoint.manager, endpoint.id, clock.now() - timedelta(hours=1),
                         clock.now() + timedelta(minutes=1), clock.now())
    session.commit()
    pump(db.engine, drain_settings)
    assert n == 2 and len(receiver.received) == 5


def test_a_slow_receiver_does_not_hold_up_another_endpoint(session, factory, add_endpoint, drain_settings):
    slow, fast = Receiver(), Receiver()
    try:
        add_endpoint(slow)
        add_endpoint(fast)
        slow.behaviour.sleep = 2.0
        for _ in range(30):
            factory.prospect()
        session.commit()
        started = time.monotonic()
        pump(db.engine, DrainSettings(box=drain_settings.box, allow=drain_settings.allow,
                                      budget=timedelta(seconds=3), timeout=5))
        assert len(fast.received) == 30
        assert len(slow.received) <= 2 and time.monotonic() - started < 6
    finally:
        slow.close()
        fast.close()
