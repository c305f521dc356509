"""The dispatcher honours a warming mailbox's limit of the day, and says so in why_waiting."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from sequencer.models import StepRun, StepRunState
from sequencer.models.mail import Transport
from sequencer.outreach.enrol import enroll
from tests.outreach.conftest import MONDAY


def _sent(session) -> int:
    return session.scalar(select(func.count()).select_from(StepRun).where(StepRun.state == StepRunState.SENT))


def test_each_business_day_sends_up_to_the_ramp(session, factory, two_emails, prospects, cycle_at):
    mailbox = factory.mailbox(owner_id=two_emails["rep"].id, transport=Transport.OUTBOX, min_interval_seconds=0,
                              daily_limit=50, warmup_start=3, warmup_step=2, warmup_target=7,
                              warmup_started_on=date(2026, 12, 4))  # a Friday: Monday is business day 2
    session.commit()
    ids = prospects(30)
    enroll(session, two_emails["sequence"], ids, actor=two_emails["rep"], now=MONDAY, mailbox_id=mailbox.id)
    session.commit()

    cycle_at(MONDAY)
    cycle_at(MONDAY + timedelta(minutes=5))
    assert _sent(session) == 5  # 3 on Friday's start + 2 for Monday
    waiting = session.scalars(select(StepRun.why_waiting).where(StepRun.state == StepRunState.SCHEDULED,
                                                                StepRun.position == 1)).first()
    assert waiting.startswith("mailbox warm-up limit 5/5 (day 2, 7/day from Tue 08 Dec)")

    cycle_at(MONDAY + timedelta(days=1))
    cycle_at(MONDAY + timedelta(days=1, minutes=5))
    assert _sent(session) == 12  # Tuesday: the target, 7


def test_a_mailbox_without_warmup_sends_its_daily_limit(session, factory, two_emails, prospects, cycle_at):
    mailbox = factory.mailbox(owner_id=two_emails["rep"].id, transport=Transport.OUTBOX, min_interval_seconds=0,
                              daily_limit=4)
    session.commit()
    enroll(session, two_emails["sequence"], prospects(6), actor=two_emails["rep"], now=MONDAY, mailbox_id=mailbox.id)
    session.commit()
    cycle_at(MONDAY)
    cycle_at(MONDAY + timedelta(minutes=5))
    assert _sent(session) == 4
    assert session.scalars(select(StepRun.why_waiting).where(StepRun.state == StepRunState.SCHEDULED,
                                                             StepRun.position == 1)).first() \
        .startswith("mailbox daily limit 4/4")
