"""A rep, a prospect in Vilnius and an enrolment whose first email went out (variant B) and whose call is open.

Also a pytest plugin (tests/conftest.py lists it): `task_scenario` builds it as of NOW, for the task tests here
and the queue pages in tests/web.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from sequencer.models import (
    Enrollment,
    Mailbox,
    Prospect,
    Sequence,
    SequenceStatus,
    Step,
    StepRun,
    StepRunState,
    Task,
    User,
    Variant,
)
from sequencer.models.sequences import StepType
from sequencer.platform import clock
from tests.factories import Factory

SENT_AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday
NOW = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)  # Wednesday: 09:00 in New York, 16:00 in Vilnius


@dataclass
class Scenario:
    rep: User
    prospect: Prospect
    mailbox: Mailbox
    sequence: Sequence
    enrollment: Enrollment
    email_run: StepRun
    run: StepRun
    task: Task


class As:
    """The API as a given user (with a bearer token of theirs)."""

    def __init__(self, client, factory, user):
        self.client, self.headers = client, {"Authorization": f"Bearer {factory.token(user)}"}

    def get(self, url):
        return self.client.get(url, headers=self.headers)

    def post(self, url, json=None):
        return self.client.post(url, json=json, headers=self.headers)


def _steps(session, seq: Sequence, second: StepType) -> tuple[Step, Step, list[Variant]]:
    """Email (variants A and B), then `second` (a manual email has its own variant), then a threaded email."""
    first = Step(sequence=seq, position=1, type=StepType.AUTO_EMAIL, wait_days=0)
    variants = [Variant(step=first, label="A", subject="Hi {{ prospect.first_name }}", body="A body"),
                Variant(step=first, label="B", subject="Hello {{ prospect.first_name }}", body="B body")]
    step2 = Step(sequence=seq, position=2, type=second, wait_days=2, instructions="Ask about Q2 freight budget")
    if second == StepType.MANUAL_EMAIL:
        variants.append(Variant(step=step2, label="A", subject="Following up, {{ prospect.first_name }}",
                                body="Hi {{ prospect.first_name }},\n\nDid the freight numbers land?"))
    step3 = Step(sequence=seq, position=3, type=StepType.AUTO_EMAIL, wait_days=2)
    variants.append(Variant(step=step3, label="A", subject="", body="Last note"))
    session.add_all([first, step2, step3, *variants])
    session.flush()
    return first, step2, variants


def build(factory: Factory, *, second: StepType = StepType.CALL, rep: User | None = None,
          due_at: datetime | None = None) -> Scenario:
    rep = rep or factory.user("rep", timezone="America/New_York", name="Rita Rep")
    company = factory.company(name="Baltic Freight")
    prospect = factory.prospect(first_name="Ona", last_name="Kazlauskė", title="CFO", company=company,
                                timezone="Europe/Vilnius", country="LT", phone="+370 600 12345",
                                linkedin_url="https://www.linkedin.com/in/ona", owner_id=rep.id)
    mailbox = factory.mailbox(owner_id=rep.id, name="Rita Rep")
    seq = factory.sequence(steps=0, name="Q1 CFO outbound", status=SequenceStatus.ACTIVE)
    first, step2, variants = _steps(factory.session, seq, second)
    enrollment = factory.enrollment(prospect=prospect, sequence=seq, mailbox_id=mailbox.id, enrolled_by_id=rep.id,
                                    created_at=SENT_AT)
    email_run = factory.step_run(enrollment, first, variant=variants[1], mailbox_id=mailbox.id,
                                 state=StepRunState.SENT, due_at=SENT_AT, sent_at=SENT_AT, done_at=SENT_AT,
                                 subject="Hello Ona", message_id="<sr1.test@sequencer.test>")
    due = due_at or SENT_AT + timedelta(days=2)
    run = factory.step_run(enrollment, step2, mailbox_id=mailbox.id,
                           variant=variants[2] if second == StepType.MANUAL_EMAIL else None,
                           state=StepRunState.TASK_OPEN, due_at=due)
    task = factory.task(second.value, owner_id=rep.id, prospect_id=prospect.id, enrollment_id=enrollment.id,
                        step_run_id=run.id, due_at=due, priority=1, title=f"{second.value} Ona",
                        instructions="Ask about Q2 freight budget")
    factory.session.commit()
    return Scenario(rep, prospect, mailbox, seq, enrollment, email_run, run, task)


def todo(session, owner: User, due_at: datetime, priority: int = 2, title: str = "To-do") -> Task:
    task = Factory(session).task("todo", owner_id=owner.id, due_at=due_at, priority=priority, title=title)
    session.commit()
    return task


@pytest.fixture
def task_scenario_options() -> dict:
    """Override in a test module to build another scenario, e.g. {"second": StepType.MANUAL_EMAIL}."""
    return {}


@pytest.fixture
def task_scenario(factory: Factory, task_scenario_options: dict) -> Scenario:
    """The scenario with the clock frozen at NOW (the app fixture unfreezes it)."""
    clock.freeze(NOW)
    return build(factory, **task_scenario_options)
