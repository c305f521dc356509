"""Issue 23 defect 3: a paused enrolment produces no work before it resumes, and projects from the resume date."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sequencer.models import Enrollment, EnrollmentStatus, Prospect, StepRunState, Task, TaskStatus
from sequencer.models.sequences import StepType
from sequencer.outreach.enrollment import pause
from sequencer.outreach.view import serialize_enrollment
from sequencer.platform import clock
from tests.demo.conftest import seeded  # noqa: F401  (the demo workspace fixture)
from tests.demo.helpers import NOW


def _open_tasks(session, enrollment_id):
    return session.scalars(select(Task).where(Task.enrollment_id == enrollment_id, Task.status == TaskStatus.OPEN)).all()


def _assert_holds(session, enrollment, now):
    until = enrollment.paused_until
    assert until is not None and until > now
    for task in _open_tasks(session, enrollment.id):
        assert task.due_at >= until, (task.title, task.due_at, until)
    view = serialize_enrollment(enrollment, now)
    for step in view["steps"]:
        if step["projected_at"]:
            assert step["projected_at"] >= until.isoformat().replace("+00:00", "Z"), (step, until)


def test_dalia_paused_out_of_office_has_nothing_due_before_she_is_back(session, seeded):  # noqa: F811
    dalia = session.scalars(select(Prospect).where(Prospect.last_name == "Grybauskienė",
                                                   Prospect.first_name == "Dalia")).first()
    enrollment = session.scalars(select(Enrollment).where(Enrollment.prospect_id == dalia.id,
                                                          Enrollment.status == EnrollmentStatus.PAUSED)).one()
    _assert_holds(session, enrollment, NOW)


def test_pausing_moves_open_tasks_and_waiting_steps_to_the_resume_date(session, factory):
    now = clock.now()
    prospect = factory.prospect(timezone="Europe/Vilnius", country="LT")
    seq = factory.sequence(steps=4)
    enrollment = factory.enrollment(prospect=prospect, sequence=seq)
    call = next(s for s in seq.steps if s.type == StepType.CALL)
    run = factory.step_run(enrollment, call, state=StepRunState.TASK_OPEN, due_at=now - timedelta(hours=1))
    task = factory.task("call", enrollment_id=enrollment.id, prospect_id=prospect.id, step_run_id=run.id,
                        due_at=now - timedelta(hours=1))
    session.commit()
    pause(session, enrollment, now, until=now + timedelta(days=14), reason="out_of_office")
    session.commit()
    session.expire_all()
    assert session.get(Task, task.id).due_at >= now + timedelta(days=14)
    _assert_holds(session, session.get(Enrollment, enrollment.id), now)
