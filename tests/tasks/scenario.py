"""A rep, a prospect in Vilnius and an enrolment whose first email went out (variant B) and whose call is open."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sequencer.models import (
    Enrollment,
    EnrollmentStatus,
    Mailbox,
    Prospect,
    Sequence,
    SequenceStatus,
    Step,
    StepRun,
    StepRunState,
    Task,
    TaskStatus,
    User,
    Variant,
)
from sequencer.models.sequences import StepType
from sequencer.models.tasks import TaskType

SENT_AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday


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


def build(session, factory, *, second: StepType = StepType.CALL, rep: User | None = None,
          due_at: datetime | None = None) -> Scenario:
    rep = rep or factory.user("rep", timezone="America/New_York", name="Rita Rep")
    company = factory.company(name="Baltic Freight")
    prospect = factory.prospect(first_name="Ona", last_name="Kazlauskė", title="CFO", company=company,
                                timezone="Europe/Vilnius", country="LT", phone="+370 600 12345",
                                linkedin_url="https://www.linkedin.com/in/ona", owner_id=rep.id)
    mailbox = factory.mailbox(owner_id=rep.id, name="Rita Rep")
    seq = factory.sequence(steps=0, name="Q1 CFO outbound", status=SequenceStatus.ACTIVE)
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
    enrollment = Enrollment(prospect=prospect, sequence=seq, mailbox_id=mailbox.id, enrolled_by_id=rep.id,
                            status=EnrollmentStatus.ACTIVE, created_at=SENT_AT)
    email_run = StepRun(enrollment=enrollment, step=first, position=1, variant=variants[1], mailbox_id=mailbox.id,
                        state=StepRunState.SENT, due_at=SENT_AT, sent_at=SENT_AT, done_at=SENT_AT,
                        subject="Hello Ona", message_id="<sr1.test@sequencer.test>")
    due = due_at or SENT_AT + timedelta(days=2)
    run = StepRun(enrollment=enrollment, step=step2, position=2, mailbox_id=mailbox.id,
                  variant=variants[2] if second == StepType.MANUAL_EMAIL else None,
                  state=StepRunState.TASK_OPEN, due_at=due)
    session.add_all([enrollment, email_run, run])
    session.flush()
    task = Task(type=TaskType(second.value), status=TaskStatus.OPEN, owner_id=rep.id, prospect_id=prospect.id,
                enrollment_id=enrollment.id, step_run_id=run.id, due_at=due, priority=1,
                title=f"{second.value} Ona", instructions="Ask about Q2 freight budget")
    session.add(task)
    session.commit()
    return Scenario(rep, prospect, mailbox, seq, enrollment, email_run, run, task)


def todo(session, owner: User, due_at: datetime, priority: int = 2, title: str = "To-do") -> Task:
    task = Task(type=TaskType.TODO, status=TaskStatus.OPEN, owner_id=owner.id, due_at=due_at, priority=priority,
                title=title)
    session.add(task)
    session.commit()
    return task
