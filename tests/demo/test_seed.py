"""seed_demo itself: counts it reports, a second call changing nothing, any clock, the same data twice."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from sequencer.demo import seed_demo
from sequencer.models import (
    Company,
    Enrollment,
    Event,
    InboundMessage,
    Opportunity,
    Prospect,
    Sequence,
    StepRun,
    StepRunState,
    Task,
    User,
)
from sequencer.platform import clock
from sequencer.platform.db import Base
from tests.demo.helpers import NOW, rows_of, task_buckets


def test_result_counts_match_the_database(session, seeded):
    assert seeded.created
    assert seeded.seconds < 10  # ~0.5 s on SQLite; generous for slow CI
    for field, model in [("users", User), ("companies", Company), ("prospects", Prospect),
                         ("sequences", Sequence), ("enrollments", Enrollment), ("step_runs", StepRun),
                         ("tasks", Task), ("events", Event), ("opportunities", Opportunity),
                         ("inbound_messages", InboundMessage)]:
        assert getattr(seeded, field) == session.scalar(select(func.count()).select_from(model)), field
    assert "prospects" in seeded.summary()


def test_second_call_changes_nothing(session, seeded):
    def counts():
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}

    before = counts()
    with clock.frozen(NOW + timedelta(days=3)):
        again = seed_demo(session)
    session.flush()
    assert not again.created
    assert counts() == before
    assert "already" in again.summary()


@pytest.mark.parametrize("now", [
    datetime(2026, 11, 28, 21, 30, tzinfo=UTC),  # Saturday 23:30 in Vilnius
    datetime(2026, 11, 25, 3, 10, tzinfo=UTC),   # before the window in Vilnius, evening in the US
    datetime(2026, 12, 24, 23, 50, tzinfo=UTC),  # Christmas night: holidays in LT, DE and US
    datetime(2027, 3, 28, 1, 30, tzinfo=UTC),    # the night the EU clocks go forward
])
def test_any_clock_gives_a_consistent_timeline(session, now):
    with clock.frozen(now):
        assert seed_demo(session).created
    session.flush()
    rep = session.scalar(select(User).where(User.email == "rep@example.com"))
    assert task_buckets(session, rep, now)["today"] >= 6
    assert all(e.occurred_at < now or e.kind in ("enrolled", "stale_reminder", "sales_ready") and e.occurred_at == now
               for e in rows_of(session, Event))
    for r in rows_of(session, StepRun, StepRun.state == StepRunState.SCHEDULED):
        live = r.enrollment.sequence.name.startswith("Webinar")  # the any-day demo: due at once
        if r.enrollment.sequence.name.startswith("Form welcome"):  # website leads' welcomes: the first pass sends
            assert r.due_at <= now
            continue
        assert r.due_at == now if live else r.due_at > now
    assert all(r.sent_at < now for r in rows_of(session, StepRun, StepRun.sent_at.is_not(None)))


def test_same_clock_same_data(session):
    def fingerprint():
        return (
            [(p.email, p.phone, p.title, p.fields, p.status.value) for p in rows_of(session, Prospect)],
            sorted((r.due_at, r.state.value, r.subject or "", r.body_text or "") for r in rows_of(session, StepRun)),
            sorted((e.occurred_at, e.kind) for e in rows_of(session, Event)),
            sorted((o.name, o.amount, o.close_date) for o in rows_of(session, Opportunity)),
        )

    with clock.frozen(NOW):
        seed_demo(session)
        first = fingerprint()
        session.rollback()
        seed_demo(session)
        assert fingerprint() == first
