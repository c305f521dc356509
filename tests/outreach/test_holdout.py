"""skip_holdouts moves only due holdout runs of active enrolments past their step, each with one `held_out` event."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from sequencer.models import Enrollment, EnrollmentStatus, Event, StepRun, StepRunState
from sequencer.outreach.holdout import skip_holdouts
from tests.reports.helpers import ab_sequence

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _run(session, factory, seq, *, holdout: bool, due: datetime, status=EnrollmentStatus.ACTIVE) -> StepRun:
    enrollment = Enrollment(prospect_id=factory.prospect(timezone="UTC").id, sequence_id=seq.id, status=status,
                            created_at=NOW - timedelta(days=1))
    session.add(enrollment)
    session.flush()
    run = StepRun(enrollment_id=enrollment.id, step_id=seq.steps[0].id, position=1, holdout=holdout,
                  state=StepRunState.SCHEDULED, due_at=due)
    session.add(run)
    session.flush()
    return run


def test_only_due_holdout_runs_of_active_enrolments_are_skipped(session, factory):
    seq = ab_sequence(session)
    due = _run(session, factory, seq, holdout=True, due=NOW - timedelta(minutes=1))
    later = _run(session, factory, seq, holdout=True, due=NOW + timedelta(minutes=1))
    normal = _run(session, factory, seq, holdout=False, due=NOW - timedelta(minutes=1))
    paused = _run(session, factory, seq, holdout=True, due=NOW - timedelta(minutes=1), status=EnrollmentStatus.PAUSED)

    assert skip_holdouts(session, NOW) == 1

    assert (due.state, due.done_at) == (StepRunState.SKIPPED, NOW)
    assert [r.position for r in due.enrollment.step_runs] == [1, 2]  # the enrolment moved on to step 2
    assert {r.state for r in (later, normal, paused)} == {StepRunState.SCHEDULED}
    events = session.scalars(select(Event).where(Event.kind == "held_out")).all()
    assert [(e.step_run_id, e.enrollment_id, e.sequence_id) for e in events] == [(due.id, due.enrollment_id, seq.id)]
    assert skip_holdouts(session, NOW) == 0  # a skipped run is not skipped twice
