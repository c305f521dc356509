"""The stale-deal job: one reminder per stale period, never two open, also with concurrent runs; email; enrolment."""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from rq import SimpleWorker
from sqlalchemy import select

from sequencer.accounts.workspace import get_workspace
from sequencer.deals import stale
from sequencer.deals.deals import move_stage
from sequencer.deals.stale import create_reminders
from sequencer.extensions import db
from sequencer.models import Event, SequenceStatus, Task, TaskStatus
from sequencer.models.enrollments import Enrollment
from sequencer.models.mail import Transport
from sequencer.models.tasks import TaskType
from sequencer.platform import clock
from tests.support.smtp_sink import Sink
from workers import jobs, queues
from workers.context import bind_app

CREATED = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # 9 days later: stale in proposal (5)


def _reminders(session):
    session.expire_all()
    return list(session.scalars(select(Task).where(Task.type == TaskType.STALE_OPPORTUNITY).order_by(Task.id)))


def test_one_reminder_per_stale_period(session, factory):
    opp = factory.opportunity(stage="proposal", created_at=CREATED)
    factory.opportunity(stage="proposal", created_at=NOW - timedelta(days=1))  # fresh: not stale until 29 Nov
    session.commit()
    first = create_reminders(session, NOW)
    assert first.stale == 1 and len(first.created) == 1
    assert create_reminders(session, NOW + timedelta(hours=1)).created == []  # open: no second one
    [task] = _reminders(session)
    assert (task.owner_id, task.opportunity_id, task.prospect_id, task.status) == (
        opp.owner_id, opp.id, opp.prospect_id, TaskStatus.OPEN)
    assert "No activity for 9 days" in task.instructions

    task.status = TaskStatus.SKIPPED  # dismissed without doing anything: the same quiet period, no new nag
    session.commit()
    assert create_reminders(session, NOW + timedelta(days=1)).created == []

    session.add(Event(kind="call_logged", occurred_at=NOW + timedelta(days=1), prospect_id=opp.prospect_id))
    session.commit()  # activity starts a new period; 5 quiet days later a new reminder is due
    create_reminders(session, NOW + timedelta(days=5))
    assert [t.opportunity_id for t in _reminders(session)].count(opp.id) == 1
    create_reminders(session, NOW + timedelta(days=6))
    assert [t.status for t in _reminders(session) if t.opportunity_id == opp.id] == [
        TaskStatus.SKIPPED, TaskStatus.OPEN]


def test_no_second_open_reminder_even_in_a_new_period(session, factory):
    opp = factory.opportunity(stage="negotiation", created_at=CREATED)
    session.commit()
    assert len(create_reminders(session, NOW).created) == 1
    session.add(Event(kind="sent", occurred_at=NOW + timedelta(hours=1), prospect_id=opp.prospect_id))
    session.commit()
    assert create_reminders(session, NOW + timedelta(days=10)).created == []  # the first is still open
    assert len(_reminders(session)) == 1


def test_closing_the_deal_closes_its_reminder(session, factory):
    opp = factory.opportunity(stage="proposal", created_at=CREATED)
    manager = factory.user("manager")
    session.commit()
    create_reminders(session, NOW)
    move_stage(session, opp, opp.stage.__class__("closed_won"), manager, NOW)
    session.commit()
    [task] = _reminders(session)
    assert task.status == TaskStatus.SKIPPED and task.outcome == "deal_closed"
    assert create_reminders(session, NOW + timedelta(days=30)).created == []


def test_a_stage_move_settles_the_open_reminder_and_the_job_is_scheduled(session, factory):
    from workers.schedule import SCHEDULE

    opp = factory.opportunity(stage="proposal", created_at=CREATED)
    session.commit()
    create_reminders(session, NOW)
    move_stage(session, opp, opp.stage.__class__("negotiation"), opp.owner, NOW + timedelta(hours=1))
    session.commit()
    [task] = _reminders(session)
    assert (task.status, task.outcome) == (TaskStatus.DONE, "activity_logged")
    assert create_reminders(session, NOW + timedelta(days=1)).created == []  # the move was activity
    assert any(p.func is jobs.remind_stale and p.interval_seconds <= 3600 for p in SCHEDULE)


def test_the_job_on_a_real_worker_emails_the_owner_once_and_enrols_the_contact(app, session, factory, redis_conn):
    opp = factory.opportunity(stage="proposal", created_at=CREATED)
    seq = factory.sequence(steps=1, status=SequenceStatus.ACTIVE)
    factory.mailbox(owner_id=opp.owner_id)
    ws = get_workspace(session)
    ws.stale_email_owner, ws.stale_sequence_id = True, seq.id
    session.commit()
    bind_app(app)
    q = queues.queue(queues.DEFAULT, redis_conn)
    first = q.enqueue(jobs.remind_stale, NOW.isoformat())
    second = q.enqueue(jobs.remind_stale, (NOW + timedelta(minutes=15)).isoformat())
    SimpleWorker([q], connection=redis_conn).work(burst=True)
    assert first.return_value() == {"stale": 1, "created": 1, "enrolled": 1, "emailed": 1}
    assert second.return_value() == {"stale": 1, "created": 0, "enrolled": 0, "emailed": 0}
    assert len(_reminders(session)) == 1
    assert session.scalars(select(Enrollment.prospect_id).where(Enrollment.sequence_id == seq.id)).all() == [
        opp.prospect_id]
    [eml] = Path(app.config["OUTBOX_DIR"]).glob("*.eml")
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["To"] == opp.owner.email and msg["Subject"] == f"Stale deal: {opp.name}"
    assert jobs.email_stale_owner(_reminders(session)[0].id) == 0  # once per task


def test_owner_email_goes_through_their_smtp_mailbox(app, session, factory):
    opp = factory.opportunity(stage="proposal", created_at=CREATED)
    session.commit()
    create_reminders(session, NOW)
    session.commit()
    with Sink() as sink:
        factory.mailbox(owner_id=opp.owner_id, transport=Transport.SMTP, smtp_host="127.0.0.1",
                        smtp_port=sink.port, smtp_security="none")
        session.commit()
        assert jobs.email_stale_owner(_reminders(session)[0].id) == 1
    [msg] = sink.handler.parsed()
    assert msg["To"] == opp.owner.email and "No activity for 9 days" in msg.get_content()


@pytest.mark.postgres
def test_two_concurrent_runs_create_one_reminder_on_postgresql(app, session, factory, monkeypatch):
    """Both runs have found the deals stale and seen no reminder before either inserts; the unique indexes
    leave exactly one task per deal and the slower run's inserts quietly do nothing."""
    opps = [factory.opportunity(stage="proposal", created_at=CREATED) for _ in range(5)]
    get_workspace(session)  # the settings row exists in any running install
    session.commit()
    barrier = threading.Barrier(2, timeout=20)
    real_insert = stale._insert_once
    attempts: dict[str, int] = {}

    def insert_after_both_looked(sess, values):
        name = threading.current_thread().name
        attempts[name] = attempts.get(name, 0) + 1
        if attempts[name] == 1:
            barrier.wait()  # both runs passed their "is there one already?" reads
        return real_insert(sess, values)

    monkeypatch.setattr(stale, "_insert_once", insert_after_both_looked)
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                results.append(create_reminders(db.session, NOW).created)
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, name=f"run-{n}") for n in range(2)]
    with clock.frozen(NOW):
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert not errors, errors
    assert attempts == {"run-0": 5, "run-1": 5}  # both tried every deal
    assert sorted(len(r) for r in results) == [0, 5]  # the first to commit created all, the other none
    rows = _reminders(session)
    assert sorted(t.opportunity_id for t in rows) == sorted(o.id for o in opps)
