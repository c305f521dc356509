"""Pool rotation: the first email goes from the member with the most room today; the thread stays on it."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sequencer.errors import Forbidden, Invalid
from sequencer.models import Enrollment, MailboxPool, StepRun, StepRunState
from sequencer.models.mail import MailboxStatus, Transport
from sequencer.outreach.enrol import enroll
from tests.outreach.conftest import MONDAY


def _pool(session, factory, rep, limits: list[int]) -> tuple[MailboxPool, list]:
    pool = MailboxPool(name="Rūta's mailboxes", owner_id=rep.id)
    session.add(pool)
    session.flush()
    boxes = [factory.mailbox(owner_id=rep.id, transport=Transport.OUTBOX, min_interval_seconds=0, daily_limit=n,
                             pool_id=pool.id) for n in limits]
    session.commit()
    return pool, boxes


def test_most_room_first_and_the_thread_stays(session, factory, two_emails, prospects, cycle_at):
    rep = two_emails["rep"]
    pool, (small, big) = _pool(session, factory, rep, [2, 5])
    ids = prospects(6)
    result = enroll(session, two_emails["sequence"], ids, actor=rep, now=MONDAY, pool_id=pool.id)
    session.commit()
    assert len(result.enrolled) == 6
    assert all(e.mailbox_id is None and e.pool_id == pool.id for e in session.scalars(select(Enrollment)))

    cycle_at(MONDAY)

    first = {r.enrollment_id: r.mailbox_id for r in session.scalars(
        select(StepRun).where(StepRun.position == 1, StepRun.state == StepRunState.SENT))}
    assert sorted(first.values()).count(big.id) == 4 and sorted(first.values()).count(small.id) == 2
    # the first goes from the emptiest: room 5 vs 2, then 4 vs 2, 3 vs 2, then the two alternate
    assert [first[e] for e in sorted(first)][:3] == [big.id, big.id, big.id]

    cycle_at(MONDAY + timedelta(days=1, hours=1))
    cycle_at(MONDAY + timedelta(days=1, hours=1, minutes=5))
    for run in session.scalars(select(StepRun).where(StepRun.position == 2)):
        assert run.mailbox_id == first[run.enrollment_id]  # the follow-up stays in the thread's mailbox
        assert run.state == StepRunState.SENT


def test_why_waiting_names_the_pools_state(session, factory, two_emails, prospects, cycle_at):
    rep = two_emails["rep"]
    pool, (one, two) = _pool(session, factory, rep, [1, 1])
    two.status, two.paused_reason = MailboxStatus.PAUSED, "by an admin"
    session.commit()
    enroll(session, two_emails["sequence"], prospects(3), actor=rep, now=MONDAY, pool_id=pool.id)
    session.commit()
    cycle_at(MONDAY)
    cycle_at(MONDAY + timedelta(minutes=5))
    why = session.scalars(select(StepRun.why_waiting).where(StepRun.mailbox_id.is_(None))).first()
    assert why.startswith("mailbox pool Rūta's mailboxes: no member has room today")
    assert f"{one.email} daily limit 1/1" in why and f"{two.email} paused" in why


def test_a_rep_enrols_only_on_their_own_pool(session, factory, two_emails, prospects):
    other = factory.user("rep")
    pool, _ = _pool(session, factory, other, [5])
    try:
        enroll(session, two_emails["sequence"], prospects(1), actor=two_emails["rep"], now=MONDAY, pool_id=pool.id)
    except Forbidden:
        pass
    else:
        raise AssertionError("a rep used a teammate's pool")
    empty = MailboxPool(name="empty", owner_id=two_emails["rep"].id)
    session.add(empty)
    session.commit()
    try:
        enroll(session, two_emails["sequence"], prospects(1), actor=two_emails["rep"], now=MONDAY, pool_id=empty.id)
    except Invalid as exc:
        assert exc.details[0]["field"] == "pool_id"
    else:
        raise AssertionError("an empty pool was accepted")
