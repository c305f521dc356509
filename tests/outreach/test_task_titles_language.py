"""A task's title is stored text: it is written in its owner's language when the step comes due."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sequencer.models import Step, Task, Workspace
from sequencer.models.sequences import StepType
from sequencer.outreach.dispatch import run_pass
from sequencer.platform import clock


def _task_for(factory, session, owner, step_type=StepType.CALL) -> Task:
    now = clock.now()
    person = factory.prospect(first_name="Ona", last_name="Jankauskienė", owner_id=owner.id,
                              timezone="Europe/Vilnius", country="LT")
    seq = factory.sequence(steps=0)
    step = Step(sequence=seq, position=1, type=step_type, wait_days=0, instructions="")
    session.add(step)
    enrollment = factory.enrollment(prospect=person, sequence=seq)
    factory.step_run(enrollment, step, due_at=now - timedelta(minutes=5))
    session.commit()
    run_pass(session, now)
    session.commit()
    return session.scalars(select(Task).where(Task.enrollment_id == enrollment.id)).one()


def test_a_lithuanian_owner_gets_a_lithuanian_title(session, factory):
    task = _task_for(factory, session, factory.user("rep", locale="lt"))
    assert task.title == "Skambutis: Ona Jankauskienė"


def test_an_english_owner_gets_the_english_title(session, factory):
    task = _task_for(factory, session, factory.user("rep", locale="en"), StepType.LINKEDIN_CONNECT)
    assert task.title == "Connect with Ona Jankauskienė on LinkedIn"


def test_an_owner_without_a_choice_gets_the_workspace_language(session, factory):
    session.add(Workspace(default_locale="lt"))
    session.commit()
    task = _task_for(factory, session, factory.user("rep"), StepType.LINKEDIN_CONNECT)
    assert task.title == "LinkedIn kvietimas: Ona Jankauskienė"
