"""An email that cannot render is held on its own (reason + fix-the-data task); the rest of its mailbox goes on."""
from datetime import UTC, datetime

import pytest
from rq import SimpleWorker
from sqlalchemy import select

from sequencer.models import Sequence, SequenceStatus, Step, StepRun, StepRunState, StepType, Task, Variant
from sequencer.models.tasks import TaskStatus, TaskType
from sequencer.outreach.enrol import enroll
from sequencer.outreach.holds import release_held
from sequencer.platform import clock
from workers import jobs, queues
from workers.context import bind_app

MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # 10:00 in Vilnius
HUGE = "x" * 250_000


@pytest.fixture(autouse=True)
def frozen_clock():
    with clock.frozen(MONDAY):
        yield


def _sequence(session, rep, name: str, body: str) -> Sequence:
    seq = Sequence(name=name, status=SequenceStatus.ACTIVE, owner_id=rep.id)
    seq.steps = [Step(position=1, type=StepType.AUTO_EMAIL,
                      variants=[Variant(label="A", subject="Hello", body=body)])]
    session.add(seq)
    session.flush()
    return seq


@pytest.fixture
def poisoned(session, factory):
    """One mailbox; the first two step runs cannot render (a runaway template, a huge field), the third can."""
    rep = factory.user("rep")
    factory.mailbox(owner_id=rep.id, min_interval_seconds=0)
    runaway = _sequence(session, rep, "Runaway", "Hi {{ 'a' * 10 ** 9 }}")
    notes = _sequence(session, rep, "Notes", "Hi {{ prospect.first_name }}, {{ prospect.fields.notes }}")
    fine = _sequence(session, rep, "Fine", "Hi {{ prospect.first_name }}")
    people = [factory.prospect(owner_id=rep.id, fields={"notes": HUGE}) for _ in range(3)]
    for seq, prospect in zip((runaway, notes, fine), people, strict=True):
        enroll(session, seq, [prospect.id], actor=rep, now=MONDAY)
    session.commit()
    return rep, people


def _runs(session) -> list[StepRun]:
    session.expire_all()
    return list(session.scalars(select(StepRun).order_by(StepRun.id)))


def _assert_held_alone(session, rep):
    bad1, bad2, good = _runs(session)
    assert good.state == StepRunState.SENT
    for bad in (bad1, bad2):
        assert bad.state == StepRunState.HELD and bad.claimed_by is None
        assert bad.why_waiting.startswith("held: cannot render:")
    assert "exceed" in bad1.why_waiting and "exceed" in bad2.why_waiting
    tasks = session.scalars(select(Task).order_by(Task.id)).all()
    assert [(t.type, t.step_run_id, t.owner_id, t.status) for t in tasks] == [
        (TaskType.FIX_DATA, bad1.id, rep.id, TaskStatus.OPEN), (TaskType.FIX_DATA, bad2.id, rep.id, TaskStatus.OPEN)]
    assert "cannot be rendered" in tasks[0].instructions


def test_tick_sync_holds_the_unrenderable_emails_and_sends_the_rest(app, session, poisoned):
    rep, _ = poisoned
    res = app.test_cli_runner().invoke(args=["tick", "--now", MONDAY.isoformat(), "--sync"])
    assert res.exit_code == 0, res.output
    _assert_held_alone(session, rep)
    again = app.test_cli_runner().invoke(args=["tick", "--now", MONDAY.isoformat(), "--sync"])
    assert again.exit_code == 0, again.output
    assert len(session.scalars(select(Task)).all()) == 2  # held runs are not due again


def test_the_send_job_on_a_real_worker_holds_and_goes_on(app, session, poisoned, redis_conn):
    rep, _ = poisoned
    bind_app(app)
    dispatch_q = queues.queue(queues.DISPATCH, redis_conn)
    send_q = queues.queue(queues.SEND, redis_conn)
    dispatch_q.enqueue(jobs.dispatch, MONDAY.isoformat())
    SimpleWorker([dispatch_q, send_q], connection=redis_conn).work(burst=True)
    assert not send_q.failed_job_registry.get_job_ids()
    _assert_held_alone(session, rep)


def test_fixing_the_data_releases_the_held_email(app, session, poisoned):
    rep, people = poisoned
    app.test_cli_runner().invoke(args=["tick", "--now", MONDAY.isoformat(), "--sync"])
    notes_prospect = people[1]
    session.refresh(notes_prospect)
    assert release_held(session, notes_prospect, MONDAY) == 0  # still too long: stays held
    notes_prospect.fields = {"notes": "short"}
    assert release_held(session, notes_prospect, MONDAY) == 1
    session.commit()
    assert _runs(session)[1].state == StepRunState.SCHEDULED
