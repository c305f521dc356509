"""SIGTERM to real `sequencer worker` and `sequencer cron` processes: nothing is left half-done."""
from __future__ import annotations

import asyncio
import signal

from rq import cron_scheduler_registry
from sqlalchemy import func, select

from sequencer.models import StepRun, StepRunState
from sequencer.ops.rq_info import last_cron_tick
from sequencer.platform import queues
from tests.ops.conftest import enrol_many, open_sequence, output, smtp_mailbox, wait_for
from tests.support.smtp_sink import ScriptedHandler, Sink

EMAILS = 8


class SlowHandler(ScriptedHandler):
    """Takes 0.5 s per message, so a batch of eight is still going when the signal comes."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.5)
        return await super().handle_DATA(server, session, envelope)


def _states(session) -> dict[str, int]:
    session.expire_all()
    rows = session.execute(select(StepRun.state, func.count()).group_by(StepRun.state))
    return {state.value: count for state, count in rows}


def test_sigterm_mid_batch_sends_the_email_in_flight_and_gives_the_rest_back(app, session, factory, redis_conn,
                                                                             spawn):
    with Sink(SlowHandler()) as sink:
        mailbox = smtp_mailbox(factory, sink)
        seq = open_sequence(factory, session, mailbox)
        enrol_many(factory, session, seq, EMAILS, mailbox.owner, mailbox_id=mailbox.id)
        queues.enqueue(queues.DISPATCH, "workers.jobs.dispatch", connection=redis_conn)

        worker = spawn("worker")
        wait_for(lambda: len(sink.handler.messages) >= 2, timeout=60, what="the worker to start sending")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0, output(worker)

        states = _states(session)
        assert "sending" not in states, states
        assert states.get("sent", 0) == len(sink.handler.messages), states
        assert 2 <= states["sent"] < EMAILS, states  # stopped early, not after the whole batch
        assert states.get("scheduled", 0) == EMAILS - states["sent"]
        waiting = set(session.scalars(select(StepRun.why_waiting).where(StepRun.state == StepRunState.SCHEDULED)))
        assert waiting == {"worker stopped before sending, queued again"}
        assert "Warm shut down" in output(worker) or "warm shut down" in output(worker).lower()


def test_sigterm_stops_cron_between_ticks(redis_conn, spawn):
    cron = spawn("cron")
    wait_for(lambda: last_cron_tick(redis_conn), timeout=60, what="a cron tick")
    cron.send_signal(signal.SIGTERM)
    assert cron.wait(timeout=10) == 0, output(cron)
    assert "stopping after this tick" in output(cron)
    assert redis_conn.zcard(cron_scheduler_registry.get_registry_key()) == 0  # it unregistered itself
