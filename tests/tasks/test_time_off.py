"""Rep time off: tasks falling due while away move past the return (or to a teammate); emails wait."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from sequencer.models import Step, StepRun, Task
from sequencer.models.sequences import StepType
from sequencer.outreach.dispatch import run_pass
from tests.tasks.scenario import todo

UTC = UTC
AWAY = {"starts_on": "2026-03-05", "ends_on": "2026-03-10"}  # Thu..Tue; back Wed 11 March, 09:00 New York


def test_tasks_due_while_away_are_pushed_to_the_first_working_day_back(world, session):
    inside = [todo(session, world.rep, datetime(2026, 3, d, 15, 0, tzinfo=UTC)) for d in (5, 6, 9, 10)]
    before = todo(session, world.rep, datetime(2026, 3, 4, 20, 0, tzinfo=UTC))
    r = world.as_rep.post("/api/v1/time-off", {**AWAY, "note": "Skiing"})
    assert r.status_code == 201 and r.json["ends_on"] == "2026-03-10"
    session.expire_all()
    back = datetime(2026, 3, 11, 13, 0, tzinfo=UTC)  # 09:00 EDT
    assert {session.get(Task, t.id).due_at for t in inside} == {back}
    assert session.get(Task, before.id).due_at == datetime(2026, 3, 4, 20, 0, tzinfo=UTC)
    assert [o["note"] for o in world.as_rep.get("/api/v1/time-off").json] == ["Skiing"]


def test_tasks_opened_by_the_dispatcher_while_away_go_to_the_chosen_teammate(world, session, factory):
    teammate = factory.user("rep", name="Tomas")
    world.rep.time_off_tasks, world.rep.time_off_delegate_id = "reassign", teammate.id
    session.commit()
    assert world.as_rep.post("/api/v1/time-off", AWAY).status_code == 201
    # a call step falls due on Friday, while the rep is away
    step = Step(sequence=world.sequence, position=4, type=StepType.CALL, wait_days=0)
    session.add(step)
    run = factory.step_run(world.enrollment, step, due_at=datetime(2026, 3, 6, 8, 0, tzinfo=UTC))
    session.commit()
    run_pass(session, datetime(2026, 3, 6, 8, 5, tzinfo=UTC))
    session.commit()
    opened = session.scalars(select(Task).where(Task.step_run_id == run.id)).one()
    assert opened.owner_id == teammate.id


def test_the_reps_emails_wait_until_the_return(world, session, factory):
    step = session.scalars(select(Step).where(Step.sequence_id == world.sequence.id, Step.position == 3)).one()
    run = factory.step_run(world.enrollment, step, mailbox_id=world.mailbox.id,
                           due_at=datetime(2026, 3, 9, 8, 0, tzinfo=UTC))
    session.commit()
    world.as_rep.post("/api/v1/time-off", AWAY)
    session.expire_all()
    run = session.get(StepRun, run.id)
    # the rep is back Wednesday 11 March, but that is a Lithuanian holiday for the prospect:
    # Thursday 09:00 Vilnius
    assert run.due_at == datetime(2026, 3, 12, 7, 0, tzinfo=UTC)
    assert run.why_waiting == "the sender is out of office until 2026-03-10"
    result = run_pass(session, datetime(2026, 3, 9, 8, 5, tzinfo=UTC))
    assert result.claims == []


def test_time_off_must_make_sense(world):
    r = world.as_rep.post("/api/v1/time-off", {"starts_on": "2026-03-10", "ends_on": "2026-03-05"})
    assert r.status_code == 422 and r.json["error"]["details"][0]["field"] == "ends_on"
    r = world.as_rep.post("/api/v1/time-off", {"starts_on": "2026-02-01", "ends_on": "2026-02-03"})
    assert r.status_code == 422


def test_by_the_reps_setting_emails_go_out_from_the_teammates_mailbox(world, session, factory):
    from sequencer.mail.compose import compose

    teammate = factory.user("rep", name="Tomas")
    cover = factory.mailbox(owner_id=teammate.id, email="tomas@sequencer.test", name="Tomas")
    world.rep.time_off_emails, world.rep.time_off_delegate_id = "delegate", teammate.id
    step = session.scalars(select(Step).where(Step.sequence_id == world.sequence.id, Step.position == 3)).one()
    step.thread = True
    due = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    run = factory.step_run(world.enrollment, step, mailbox_id=world.mailbox.id, variant=step.variants[0], due_at=due)
    session.commit()
    world.as_rep.post("/api/v1/time-off", AWAY)
    session.expire_all()
    run = session.get(StepRun, run.id)
    assert run.mailbox_id == cover.id and run.due_at == due  # on time, from the teammate
    composed = compose(session, run, base_url="http://sequencer.test", secret="s", postal_address="")
    assert composed.from_email == "tomas@sequencer.test" and composed.from_name == "Tomas"
    assert composed.headers["In-Reply-To"] == "<sr1.test@sequencer.test>"  # still in the prospect's thread
