"""Issue 23 defect 2: task instructions are rendered with the email sandbox, and validated when the step is saved."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from sequencer.models import Task, TaskStatus
from sequencer.models.sequences import StepType
from tests.api.sequence_payloads import four_step_ab
from tests.demo.conftest import seeded  # noqa: F401  (the demo workspace fixture)
from tests.outreach.due_task import task_for_due_step


def _call_task(factory, session, instructions: str, **prospect) -> Task:
    company = factory.company(name="Baltic Freight")
    person = factory.prospect(company=company, timezone="Europe/Vilnius", country="LT", **prospect)
    return task_for_due_step(factory, session, person, StepType.CALL, instructions)


def test_merge_fields_in_a_call_step_are_filled_in_the_task(session, factory):
    task = _call_task(factory, session, "Ask {{ prospect.first_name }} how {{ company.name }} closes the month.",
                      first_name="Ona")
    assert task.instructions == "Ask Ona how Baltic Freight closes the month."


def test_a_missing_value_is_named_not_left_as_braces(session, factory):
    task = _call_task(factory, session, "Ask {{ prospect.title }} about the close.", title=None)
    assert "{{" not in task.instructions and "prospect.title" in task.instructions


@pytest.mark.parametrize("text, said", [("Hi {first name}, happy to connect", "{first name}"),
                                        ("Ask {{ prospect.nope }}", "nope"),
                                        ("Ask {{ prospect.first_name ", "")])
def test_instructions_are_validated_when_the_sequence_is_saved(client, factory, text, said):
    data = four_step_ab()
    data["steps"][1]["instructions"] = text
    factory.persona("cfo"), factory.persona("cto")
    token = factory.token(factory.user("manager"))
    r = client.post("/api/v1/sequences", json=data, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 422, r.json
    assert [d for d in r.json["error"]["details"] if d.get("field") == "instructions"], r.json
    problem = next(d for d in r.json["error"]["details"] if d.get("field") == "instructions")
    assert problem["step"] == 2 and said in problem["message"]


def test_demo_tasks_show_no_raw_merge_fields(session, seeded):  # noqa: F811
    texts = session.scalars(select(Task.instructions).where(Task.status == TaskStatus.OPEN)).all()
    assert texts and not [t for t in texts if "{" in t]
    connect = session.scalars(select(Task).where(Task.type == "linkedin_connect", Task.status == TaskStatus.OPEN)
                              .limit(1)).first()
    assert connect is not None and f"Hi {connect.prospect.first_name}," in connect.instructions
