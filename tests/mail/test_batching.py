"""The fast send path: chunked start marks and sent marks, the compile cache, pooled SMTP connections."""
from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, update

from sequencer.mail import connections, recording
from sequencer.mail.delivery import send_batch
from sequencer.mail.sending import settings_for
from sequencer.models import Event, StepRun, StepRunState
from sequencer.outreach.claims import LEASE, claim_due_emails, release_expired
from sequencer.platform import clock
from sequencer.rendering import compile_template
from tests.support.smtp_sink import ScriptedHandler, Sink


class CountingHandler(ScriptedHandler):
    """Counts SMTP sessions: smtplib says EHLO once per connection."""

    def __init__(self):
        super().__init__()
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses


def _claim(session):
    (claim,) = claim_due_emails(session, clock.now(), random.Random(1))
    session.commit()
    return claim


def test_a_crash_after_smtp_before_the_chunk_commit_leaves_every_started_email_uncertain_never_resent(
        session, enrol, world, app, sink, monkeypatch):
    for _ in range(3):
        enrol()
    claim = _claim(session)

    def crash(*args, **kwargs):
        raise SystemExit("killed between SMTP and the chunk's commit")

    monkeypatch.setattr("sequencer.mail.delivery.record_sent_many", crash)
    with pytest.raises(SystemExit):
        send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings_for(app.config))
    session.rollback()
    assert len(sink.handler.messages) == 3
    monkeypatch.undo()
    # the same job again (requeued) and a fresh pass after the lease: nothing goes out a second time
    assert send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings_for(app.config)).sent == 0
    assert release_expired(session, clock.now() + LEASE + timedelta(seconds=1)) == (0, 3)
    session.commit()
    assert claim_due_emails(session, clock.now() + LEASE + timedelta(seconds=2), random.Random(1)) == []
    states = session.scalars(select(StepRun.state).where(StepRun.id.in_(claim.run_ids))).all()
    assert states == [StepRunState.UNCERTAIN] * 3
    assert len(sink.handler.messages) == 3
    assert session.scalar(select(func.count()).select_from(Event).where(Event.kind == "sent")) == 0


def test_a_chunk_is_marked_started_and_recorded_sent_once_each(session, enrol, world, app, sink):
    for _ in range(5):
        enrol()
    claim = _claim(session)
    statements: list[str] = []
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(session.get_bind(), "before_cursor_execute", listener)
    try:
        result = send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings_for(app.config))
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", listener)
    assert result.sent == 5
    starts = [s for s in statements if s.startswith("UPDATE step_runs SET send_started_at")]
    assert len(starts) == 1  # one durable start mark for the chunk, before any SMTP
    if session.get_bind().dialect.name == "postgresql":
        sent_marks = [s for s in statements if s.startswith("UPDATE step_runs SET state")]
        event_inserts = [s for s in statements if s.startswith("INSERT INTO events")]
        assert len(sent_marks) == 1 and len(event_inserts) == 1
    runs = session.scalars(select(StepRun).where(StepRun.id.in_(claim.run_ids))).all()
    assert {r.state for r in runs} == {StepRunState.SENT}
    following = session.scalar(select(func.count()).select_from(StepRun).where(StepRun.position == 2))
    assert following == 5
    assert session.scalar(select(func.count()).select_from(Event).where(Event.kind == "sent")) == 5


def test_sent_marks_skip_a_run_whose_claim_was_taken_back(session, enrol, world, app, sink, monkeypatch):
    enrol(), enrol()
    claim = _claim(session)
    real = recording.record_sent_many

    def taken_back(session_, mailbox, items):
        session_.execute(update(StepRun).where(StepRun.id == items[0].run.id)  # another dispatcher owns it now
                         .values(claimed_by="another-worker").execution_options(synchronize_session=False))
        real(session_, mailbox, items)

    monkeypatch.setattr("sequencer.mail.delivery.record_sent_many", taken_back)
    send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings_for(app.config))
    session.expire_all()
    sent_events = session.scalars(select(Event.step_run_id).where(Event.kind == "sent")).all()
    assert sent_events == [claim.run_ids[1]]


def test_compiled_templates_are_cached_by_content(session, enrol, world, app, sink):
    for _ in range(4):
        enrol()
    claim = _claim(session)
    compile_template.cache_clear()
    send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings_for(app.config))
    info = compile_template.cache_info()
    assert info.misses == 2  # the variant's subject and body, compiled once for the whole batch
    assert info.hits == 6
    same = compile_template("Hi {{ prospect.first_name }}", "text")
    assert compile_template("Hi {{ prospect.first_name }}", "text") is same  # equal text, another object
    assert compile_template("Hello {{ prospect.first_name }}", "text") is not same


def test_connections_are_reused_across_batches_then_closed_when_idle(session, enrol, world, app, monkeypatch):
    handler = CountingHandler()
    with Sink(handler) as sink:
        world["mailbox"].smtp_port = sink.port
        session.commit()
        moment = [1000.0]
        monkeypatch.setattr(connections, "monotonic", lambda: moment[0])
        settings = settings_for(app.config)
        for _ in range(3):
            enrol()
            claim = _claim(session)
            assert send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings).sent == 1
            moment[0] += 5
        assert handler.sessions == 1 and len(handler.messages) == 3
        moment[0] += connections.IDLE_SECONDS + 1  # idle too long: closed, and the next batch connects anew
        enrol()
        claim = _claim(session)
        assert send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings).sent == 1
        assert handler.sessions == 2


def test_a_connection_that_failed_is_never_pooled(session, enrol, world, app):
    handler = CountingHandler()
    handler.data_reply = "451 4.3.0 try again later"
    with Sink(handler) as sink:
        world["mailbox"].smtp_port = sink.port
        session.commit()
        enrol()
        claim = _claim(session)
        assert send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings_for(app.config)).retried == 1
        assert connections._idle == {}
        handler.data_reply = None
        enrol()
        claim = _claim(session)
        assert send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings_for(app.config)).sent == 1
        assert handler.sessions == 2 and list(connections._idle) == [world["mailbox"].id]


def test_changed_mailbox_settings_open_a_new_connection(session, enrol, world, app):
    first, second = CountingHandler(), CountingHandler()
    with Sink(first) as one, Sink(second) as two:
        world["mailbox"].smtp_port = one.port
        session.commit()
        enrol()
        claim = _claim(session)
        send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings_for(app.config))
        world["mailbox"].smtp_port = two.port
        session.commit()
        enrol()
        claim = _claim(session)
        send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings_for(app.config))
        assert (len(first.messages), len(second.messages)) == (1, 1)
