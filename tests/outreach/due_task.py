"""The task a dispatch pass opens for a manual step that has come due: how the outreach tests get one."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sequencer.models import Prospect, Step, Task
from sequencer.models.sequences import StepType
from sequencer.outreach.dispatch import run_pass
from sequencer.platform import clock


def task_for_due_step(factory, session, person: Prospect, step_type: StepType = StepType.CALL,
                      instructions: str = "") -> Task:
    """Enrol `person` in a one-step sequence whose step came due five minutes ago, run a pass, return its task."""
    now = clock.now()
    seq = factory.sequence(steps=0)
    step = Step(sequence=seq, position=1, type=step_type, wait_days=0, instructions=instructions)
    session.add(step)
    enrollment = factory.enrollment(prospect=person, sequence=seq)
    factory.step_run(enrollment, step, due_at=now - timedelta(minutes=5))
    session.commit()
    run_pass(session, now)
    session.commit()
    return session.scalars(select(Task).where(Task.enrollment_id == enrollment.id)).one()
