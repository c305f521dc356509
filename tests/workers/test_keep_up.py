"""A dispatcher that keeps up: a pass that filled a mailbox's batch asks for the next pass at once, batches shrink
to a mailbox's remaining allowance, and the send jobs of different mailboxes run on different workers."""
from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq import SimpleWorker, Worker
from rq.job import Job

from sequencer.mail.sending import dispatch_again
from sequencer.models.mail import SmtpSecurity, Transport
from sequencer.outreach.claims import claim_due_emails
from sequencer.platform import clock, queues
from tests.mail.sink_process import SinkProcess
from workers import jobs
from workers.context import bind_app

ROOT = Path(__file__).resolve().parents[2]
ALWAYS_OPEN = {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "window_start": "00:00",
               "window_end": "23:59", "holidays": None,
               "fallback_timezone": "Asia/Tokyo" if time.gmtime().tm_hour == 23 else "UTC"}


def test_dispatch_again_only_when_a_batch_filled_and_the_senders_keep_up(redis_conn):
    dispatch_q, send_q = queues.queue(queues.DISPATCH, redis_conn), queues.queue(queues.SEND, redis_conn)
    assert dispatch_again(redis_conn, filled=False) is False and len(dispatch_q) == 0
    assert dispatch_again(redis_conn, filled=True) is True and len(dispatch_q) == 1
    assert dispatch_again(redis_conn, filled=True) is False and len(dispatch_q) == 1  # one is already waiting
    dispatch_q.empty()
    for n in range(2):  # no worker registered counts as one: two queued send jobs keep it busy
        send_q.enqueue("workers.jobs.send_batch", 1, [n], f"token{n}")
    assert dispatch_again(redis_conn, filled=True) is False and len(dispatch_q) == 0


def _mailbox_with_due(factory, session, daily_limit: int, due: int, sequence):
    from sequencer.models import StepRun, StepRunState
    from sequencer.models.enrollments import Enrollment

    mailbox = factory.mailbox(min_interval_seconds=0, daily_limit=daily_limit)
    for _ in range(due):
        enrollment = Enrollment(prospect=factory.prospect(), sequence=sequence, mailbox_id=mailbox.id)
        session.add(enrollment)
        session.flush()
        session.add(StepRun(enrollment_id=enrollment.id, step_id=sequence.steps[0].id, position=1,
                            variant_id=sequence.steps[0].variants[0].id, mailbox_id=mailbox.id,
                            state=StepRunState.SCHEDULED, due_at=clock.now()))
    session.commit()
    return mailbox


def _email_sequence(factory, session):
    from sequencer.models import Sequence, SequenceStatus, Step, StepType, Variant

    seq = Sequence(name="Keep up", status=SequenceStatus.ACTIVE, schedule=ALWAYS_OPEN)
    seq.steps = [Step(position=1, type=StepType.AUTO_EMAIL, variants=[Variant(label="A", subject="s", body="b")])]
    session.add(seq)
    session.commit()
    return seq


def test_batches_adapt_to_each_mailboxs_remaining_allowance(session, factory):
    seq = _email_sequence(factory, session)
    roomy = _mailbox_with_due(factory, session, daily_limit=1000, due=5, sequence=seq)
    nearly_done = _mailbox_with_due(factory, session, daily_limit=3, due=5, sequence=seq)
    claims = {c.mailbox_id: c for c in claim_due_emails(session, clock.now(), random.Random(1), max_batch=4)}
    assert len(claims[roomy.id].run_ids) == 4 and claims[roomy.id].full  # more is due and allowed: pass again
    assert len(claims[nearly_done.id].run_ids) == 3 and not claims[nearly_done.id].full  # the day's allowance


def test_a_dispatch_job_that_filled_a_batch_enqueues_the_next_pass(app, session, factory, redis_conn):
    app.config["SEND_BATCH_SIZE"] = 2
    seq = _email_sequence(factory, session)
    _mailbox_with_due(factory, session, daily_limit=1000, due=3, sequence=seq)
    bind_app(app)
    dispatch_q = queues.queue(queues.DISPATCH, redis_conn)
    dispatch_q.enqueue(jobs.dispatch)
    SimpleWorker([dispatch_q], connection=redis_conn).work(burst=True, max_jobs=1)
    assert len(dispatch_q) == 1  # the next pass is already waiting, no 15 s tick needed
    assert len(queues.queue(queues.SEND, redis_conn)) == 1


@pytest.mark.postgres
def test_send_jobs_of_different_mailboxes_run_in_parallel_on_two_workers(app, session, factory, redis_conn,
                                                                        database_url, redis_url, tmp_path):
    """Two `sequencer worker` processes take one mailbox's batch each, at the same time."""
    seq = _email_sequence(factory, session)
    with SinkProcess(tmp_path / "sink.log", delay_ms=150) as sink:
        for _ in range(2):
            mailbox = _mailbox_with_due(factory, session, daily_limit=1000, due=4, sequence=seq)
            mailbox.transport, mailbox.smtp_host, mailbox.smtp_port = Transport.SMTP, "127.0.0.1", sink.port
            mailbox.smtp_security = SmtpSecurity.NONE
        session.commit()  # no workspace row yet: the two first batches race to create it (get_workspace copes)
        env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
               "SECRET_KEY": app.config["SECRET_KEY"], "SEQUENCER_INSTANCE": str(tmp_path / "instance")}
        env.pop("TEST_DATABASE_URL", None)
        log = open(tmp_path / "workers.log", "wb")  # noqa: SIM115  (closed after the workers stop)
        procs = [subprocess.Popen([sys.executable, "-m", "sequencer", "worker"], cwd=ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT) for _ in range(2)]
        try:
            deadline = time.monotonic() + 150  # a loaded machine starts workers slowly
            while len(Worker.all(connection=redis_conn)) < 2:
                assert time.monotonic() < deadline, "the workers did not start"
                time.sleep(0.1)
            queues.queue(queues.DISPATCH, redis_conn).enqueue("workers.jobs.dispatch")
            while sink.count() < 8:
                assert time.monotonic() < deadline, (tmp_path / "workers.log").read_text()[-3000:]
                time.sleep(0.1)
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(20)
            log.close()
    jobs_ = [Job.fetch(job_id, connection=redis_conn) for job_id in
             queues.queue(queues.SEND, redis_conn).finished_job_registry.get_job_ids()]
    assert len(jobs_) == 2 and len({j.worker_name for j in jobs_}) == 2
    first, second = sorted(jobs_, key=lambda j: j.started_at)
    assert second.started_at < first.ended_at  # both batches were on the wire at once
