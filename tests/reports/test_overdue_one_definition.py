"""Issue 23 defect 7: Team view, the rep's queue and Reports → Activity per rep count overdue the same way."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sequencer.models import User
from sequencer.reports.reps import rep_activity
from sequencer.tasks.queue import bucket_counts, team_counts
from tests.demo.conftest import seeded  # noqa: F401  (the demo workspace fixture)
from tests.demo.helpers import NOW


def _three_counts(session, user, now):
    queue = bucket_counts(session, user, now)["overdue"]
    [team] = [r["overdue"] for r in team_counts(session, [user], now)]
    _, rows = rep_activity(session, now)
    report = next((r.overdue for r in rows if r.user_id == user.id), 0)
    return queue, team, report


def test_demo_reps_overdue_agrees_in_queue_team_view_and_reports(session, seeded):  # noqa: F811
    for email in ("rep@example.com", "rep2@example.com"):
        user = session.scalars(select(User).where(User.email == email)).one()
        queue, team, report = _three_counts(session, user, NOW)
        assert queue == team == report, (email, queue, team, report)


def test_a_task_due_earlier_today_is_not_overdue_anywhere(session, factory):
    user = factory.user("rep", timezone="Europe/Vilnius")
    factory.task("todo", owner_id=user.id, due_at=NOW - timedelta(hours=1), title="Due this morning")
    factory.task("todo", owner_id=user.id, due_at=NOW - timedelta(days=2), title="Due two days ago")
    session.commit()
    assert _three_counts(session, user, NOW) == (1, 1, 1)
