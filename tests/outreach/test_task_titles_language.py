"""A task's title is stored text: it is written in its owner's language when the step comes due."""
from __future__ import annotations

from sequencer.models import Task, Workspace
from sequencer.models.sequences import StepType
from tests.outreach.due_task import task_for_due_step


def _task_for(factory, session, owner, step_type=StepType.CALL) -> Task:
    person = factory.prospect(first_name="Ona", last_name="Jankauskienė", owner_id=owner.id,
                              timezone="Europe/Vilnius", country="LT")
    return task_for_due_step(factory, session, person, step_type)


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
