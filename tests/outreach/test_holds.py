"""A due email whose template needs missing data is held with a task; fixing the prospect releases it."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from sequencer.mail.sending import dispatch_and_send
from sequencer.models import Sequence, SequenceStatus, Step, StepRun, StepRunState, StepType, Task, Variant
from sequencer.models.tasks import TaskStatus, TaskType
from sequencer.outreach.enrol import enroll
from sequencer.outreach.holds import release_held

MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # 10:00 in Vilnius


@pytest.fixture
def email_sequence(factory, session):
    rep = factory.user("rep")
    factory.mailbox(owner_id=rep.id, min_interval_seconds=0)
    seq = Sequence(name="Intro", status=SequenceStatus.ACTIVE, owner_id=rep.id)
    seq.steps = [Step(position=1, type=StepType.AUTO_EMAIL, variants=[Variant(
        label="A", subject="Question for {{ company.name }}", body="Hi {{ prospect.first_name }},")])]
    session.add(seq)
    session.commit()
    return seq, rep


def _enrol(session, seq, rep, prospect):
    enroll(session, seq, [prospect.id], actor=rep, now=MONDAY)
    session.commit()
    return session.scalars(select(StepRun)).one()


def _pass(session, app):
    return dispatch_and_send(session, app.config, MONDAY)[1]


@pytest.fixture(autouse=True)
def frozen_clock():
    from sequencer.platform import clock

    with clock.frozen(MONDAY):
        yield


def test_missing_first_name_holds_the_step_and_asks_the_owner(app, session, factory, email_sequence):
    seq, rep = email_sequence
    prospect = factory.prospect(first_name="", company=factory.company(name="Grūdų Bazė"), owner_id=rep.id)
    run = _enrol(session, seq, rep, prospect)

    assert _pass(session, app).held == 1
    session.expire_all()
    assert run.state == StepRunState.HELD and run.why_waiting == "held: missing prospect.first_name"
    task = session.scalars(select(Task)).one()
    assert task.type == TaskType.FIX_DATA and task.owner_id == rep.id and task.step_run_id == run.id
    assert "prospect.first_name" in task.title

    assert _pass(session, app).held == 0  # held steps are not due again
    assert session.scalars(select(Task)).all() == [task]

    prospect.first_name = "Vytautas"
    assert release_held(session, prospect, MONDAY) == 1
    session.commit()
    assert run.state == StepRunState.SCHEDULED and run.due_at == MONDAY
    assert task.status == TaskStatus.DONE and task.outcome == "data_fixed"
    assert _pass(session, app).sent == 1
    session.expire_all()
    assert run.state == StepRunState.SENT


def test_release_keeps_holding_while_data_is_still_missing(app, session, factory, email_sequence):
    seq, rep = email_sequence
    prospect = factory.prospect(first_name="", company=None)
    run = _enrol(session, seq, rep, prospect)
    _pass(session, app)
    session.expire_all()
    assert run.why_waiting == "held: missing company.name, prospect.first_name"
    prospect.first_name = "Ona"
    assert release_held(session, prospect, MONDAY) == 0
    assert run.state == StepRunState.HELD and run.why_waiting == "held: missing company.name"
    assert len(session.scalars(select(Task)).all()) == 1


def test_complete_data_is_never_held(app, session, factory, email_sequence):
    seq, rep = email_sequence
    prospect = factory.prospect(first_name="Jürgen", company=factory.company(name="Müller GmbH"))
    run = _enrol(session, seq, rep, prospect)
    assert _pass(session, app).held == 0
    session.expire_all()
    assert run.state == StepRunState.SENT and "Jürgen" in run.body_text
