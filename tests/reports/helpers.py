"""An A/B sequence and hand-made outcomes for the report and experiment tests."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sequencer.models import (
    Enrollment,
    Event,
    Sequence,
    SequenceStatus,
    Step,
    StepRun,
    StepRunState,
    StepType,
    Variant,
)
from tests.factories import Factory

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # a Monday


def ab_sequence(session, owner_id: int | None = None, **step1) -> Sequence:
    """Step 1: email with variants A and B (50/50); step 2: call; step 3: threaded email."""
    seq = Sequence(name="A/B test", status=SequenceStatus.ACTIVE, owner_id=owner_id)
    seq.steps = [Step(position=1, type=StepType.AUTO_EMAIL, wait_days=0, **step1,
                      variants=[Variant(label="A", subject="Hi A", body="A"), Variant(label="B", subject="Hi B", body="B")]),
                 Step(position=2, type=StepType.CALL, wait_days=1, instructions="Call"),
                 Step(position=3, type=StepType.AUTO_EMAIL, wait_days=1, thread=True,
                      variants=[Variant(label="A", subject="", body="Bump")])]
    session.add(seq)
    session.flush()
    return seq


def sent_run(session, seq: Sequence, prospect, position: int, variant: Variant | None, at: datetime = T0,
             enrollment: Enrollment | None = None, mailbox_id: int | None = None) -> StepRun:
    """A step run that was sent, with its `sent` event, as delivery leaves it."""
    factory = Factory(session)
    if enrollment is None:
        enrollment = factory.enrollment(prospect_id=prospect.id, sequence_id=seq.id,
                                        created_at=at - timedelta(hours=1), mailbox_id=mailbox_id)
    run = factory.step_run(enrollment, seq.steps[position - 1], variant_id=variant.id if variant else None,
                           state=StepRunState.SENT, due_at=at, sent_at=at, done_at=at, mailbox_id=mailbox_id)
    event(session, "sent", run, at)
    return run


def event(session, kind: str, run: StepRun, at: datetime = T0, **payload) -> Event:
    enrollment = session.get(Enrollment, run.enrollment_id)
    ev = Event(kind=kind, occurred_at=at, prospect_id=enrollment.prospect_id, enrollment_id=enrollment.id,
               sequence_id=enrollment.sequence_id, step_id=run.step_id, step_run_id=run.id,
               variant_id=run.variant_id, mailbox_id=run.mailbox_id, payload=payload)
    session.add(ev)
    session.flush()
    return ev
