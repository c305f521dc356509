"""`sequencer tick` across a weekend, a Lithuanian holiday and a DST change."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from sequencer.models import (
    Enrollment,
    Event,
    Sequence,
    SequenceStatus,
    Step,
    StepRun,
    StepRunState,
    StepType,
    Task,
    User,
    Variant,
)
from sequencer.outreach.enrol import enroll
from sequencer.outreach.enrollment import step_done
from sequencer.platform import clock


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def cadence(factory, session):
    """call → email (1 business day) → LinkedIn (1 business day), Mon–Fri 09:00–17:00, LT holidays."""
    rep = factory.user("rep")
    factory.mailbox(owner_id=rep.id)
    seq = Sequence(name="Tick cadence", status=SequenceStatus.ACTIVE, owner_id=rep.id,
                   schedule={"days": ["mon", "tue", "wed", "thu", "fri"], "window_start": "09:00",
                             "window_end": "17:00", "holidays": "prospect", "fallback_timezone": "Europe/Vilnius"})
    seq.steps = [Step(position=1, type=StepType.CALL, wait_days=0, instructions="Call them"),
                 Step(position=2, type=StepType.AUTO_EMAIL, wait_days=1,
                      variants=[Variant(label="A", subject="Hi", body="Hello")]),
                 Step(position=3, type=StepType.LINKEDIN_CONNECT, wait_days=1)]
    session.add(seq)
    prospect = factory.prospect(first_name="Jūratė", last_name="Čepulienė", timezone="Europe/Vilnius",
                                country="LT", owner_id=rep.id)
    session.commit()
    return seq, prospect, rep


def _tick(app, *args):
    res = app.test_cli_runner().invoke(args=["tick", *args])
    assert res.exit_code == 0, res.output
    return res.output


def _counts(session):
    return (session.scalar(select(func.count()).select_from(Task)),
            session.scalar(select(func.count()).select_from(Event)),
            tuple(session.scalars(select(StepRun.state).order_by(StepRun.id))))


def test_dry_run_lists_and_changes_nothing_then_sync_opens_the_task_once(app, session, cadence):
    seq, prospect, rep = cadence
    friday = utc(2026, 12, 18, 14, 30)  # Fri 16:30 in Vilnius
    with clock.frozen(friday):
        enroll(session, seq, [prospect.id], actor=rep, now=friday)
    session.commit()

    before = _counts(session)
    out = _tick(app, "--now", "2026-12-18T14:30:00Z", "--dry-run")
    assert "open task" in out and "Jūratė Čepulienė" in out and "step 1 (call)" in out
    assert "1 due as of" in out
    session.expire_all()
    assert _counts(session) == before

    assert "tasks opened: 0" in _tick(app, "--now", "2026-12-18T14:29:00Z", "--sync")  # not yet due
    assert "tasks opened: 1" in _tick(app, "--now", "2026-12-18T14:30:00Z", "--sync")
    assert "tasks opened: 0" in _tick(app, "--now", "2026-12-18T14:31:00Z", "--sync")  # never twice
    session.expire_all()
    (task,) = session.scalars(select(Task)).all()
    assert task.title == "Call Jūratė Čepulienė" and task.owner_id == rep.id
    assert session.scalars(select(StepRun.state)).all() == [StepRunState.TASK_OPEN]


def test_weekend_then_holiday_then_window(app, session, cadence):
    seq, prospect, rep = cadence
    friday = utc(2026, 12, 18, 14, 30)
    enroll(session, seq, [prospect.id], actor=rep, now=friday)
    session.commit()
    _tick(app, "--now", "2026-12-18T14:30:00Z", "--sync")
    session.expire_all()
    call = session.scalars(select(StepRun)).one()
    # the call is done on Friday at 16:45: one business day later is Monday 09:00 (weekend skipped)
    email = step_done(session, call, utc(2026, 12, 18, 14, 45))
    session.commit()
    assert email.due_at == utc(2026, 12, 21, 7, 0)
    # the email goes on Wednesday 23rd: one business day later skips 24–26 Dec (LT) and the weekend
    linkedin = step_done(session, email, utc(2026, 12, 23, 10, 0), state=StepRunState.SENT)
    session.commit()
    assert linkedin.due_at == utc(2026, 12, 28, 7, 0)
    out = _tick(app, "--now", "2026-12-24T10:00:00Z", "--dry-run")
    assert "0 due" in out
    assert "1 due" in _tick(app, "--now", "2026-12-28T07:00:00Z", "--dry-run")


def test_due_moment_follows_the_dst_change(app, session, cadence):
    seq, prospect, rep = cadence
    seq.steps[0].wait_days = 1
    session.commit()
    # Friday 23 October 2026 16:00 Vilnius (UTC+3); clocks go back on Sunday 25 October
    enroll(session, seq, [prospect.id], actor=rep, now=utc(2026, 10, 23, 13, 0))
    session.commit()
    run = session.scalars(select(StepRun)).one()
    assert run.due_at == utc(2026, 10, 26, 7, 0)  # Monday 09:00 at UTC+2
    assert "0 due" in _tick(app, "--now", "2026-10-26T06:59:00Z", "--dry-run")
    assert "tasks opened: 1" in _tick(app, "--now", "2026-10-26T07:00:00Z", "--sync")


def test_sync_sends_due_emails_to_the_outbox(app, session, cadence):
    seq, prospect, rep = cadence
    seq.steps[0].type, seq.steps[0].variants = StepType.AUTO_EMAIL, [Variant(label="A", subject="s", body="b")]
    prospect.company = None
    session.commit()
    enroll(session, seq, [prospect.id], actor=rep, now=utc(2026, 12, 1, 8, 0))
    session.commit()
    out = _tick(app, "--now", "2026-12-01T08:00:00Z", "--sync")
    assert "emails claimed: 1" in out and "emails sent: 1" in out
    session.expire_all()
    first, second = session.scalars(select(StepRun).order_by(StepRun.position)).all()
    assert first.state == StepRunState.SENT and first.message_id
    assert second.position == 2 and second.state == StepRunState.SCHEDULED
    from pathlib import Path

    assert len(list(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))) == 1


def test_tick_without_sync_enqueues_a_dispatch_job(app, redis_conn):
    out = _tick(app, "--now", "2026-12-01T08:00:00Z")
    assert "enqueued dispatch job" in out
    from rq import Queue

    assert Queue("dispatch", connection=redis_conn).count == 1


def test_tick_refuses_a_moment_without_offset(app):
    res = app.test_cli_runner().invoke(args=["tick", "--now", "2026-12-01T08:00:00", "--dry-run"])
    assert res.exit_code == 2 and "offset" in res.output


def test_enrol_many_uses_bulk_paths(session, cadence, factory):
    seq, _, rep = cadence
    ids = [factory.prospect(timezone=tz, country=c).id
           for tz, c in [("America/New_York", "US"), ("Europe/Berlin", "DE")] * 50]
    session.commit()
    result = enroll(session, seq, ids, actor=rep, now=utc(2026, 12, 1, 8, 0))
    session.commit()
    assert len(result.enrolled) == 100 and result.skipped == []
    assert session.scalar(select(func.count()).select_from(Enrollment)) == 100
    ny = session.scalars(select(StepRun).join(Enrollment).where(Enrollment.prospect_id == ids[0])).one()
    assert ny.due_at == utc(2026, 12, 1, 14, 0)  # 09:00 in New York
    assert session.get(User, rep.id) is rep
