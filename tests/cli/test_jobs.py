"""`sequencer jobs list|run`: the periodic schedule from the command line, run once as of any moment."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from sequencer.models import Event, Task
from sequencer.models.tasks import TaskType
from sequencer.platform import clock
from workers.schedule import SCHEDULE

CREATED = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
STALE_AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # 9 quiet days: a proposal goes stale after 5


def _jobs(app, *args):
    return app.test_cli_runner().invoke(args=["jobs", *args])


def _reminders(session):
    session.expire_all()
    return list(session.scalars(select(Task).where(Task.type == TaskType.STALE_OPPORTUNITY)))


def test_list_shows_every_periodic_job_with_its_interval(app):
    res = _jobs(app, "list")
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert [line.split()[0] for line in lines] == [p.func.__name__ for p in SCHEDULE]
    for line, item in zip(lines, SCHEDULE, strict=True):
        assert f"every {item.every} " in line and item.queue in line
    assert "dispatch" in lines[0] and "every 15 s" in lines[0]
    assert any(line.startswith("remind_stale") and "every 15 min" in line for line in lines)


def test_list_as_json(app):
    res = _jobs(app, "list", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == [
        {"name": p.func.__name__, "interval_seconds": p.interval_seconds, "queue": p.queue,
         "timeout_seconds": p.timeout_seconds} for p in SCHEDULE]


def test_run_remind_stale_as_of_now_creates_the_reminder_only_once_the_deal_is_stale(app, session, factory):
    opp = factory.opportunity(stage="proposal", created_at=CREATED)
    session.commit()
    early = _jobs(app, "run", "remind_stale", "--now", (CREATED + timedelta(days=3)).isoformat())
    assert early.exit_code == 0, early.output
    assert json.loads(early.output) == {"stale": 0, "created": 0, "enrolled": 0, "emailed": 0}
    assert _reminders(session) == []  # the real clock says December: only --now kept it fresh

    res = _jobs(app, "run", "remind_stale", "--now", "2026-11-25T11:00:00+02:00")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == {"stale": 1, "created": 1, "enrolled": 0, "emailed": 0}
    [task] = _reminders(session)
    assert (task.opportunity_id, task.owner_id, task.due_at) == (opp.id, opp.owner_id, STALE_AT)
    assert "No activity for 9 days" in task.instructions
    event = session.scalars(select(Event).where(Event.kind == "stale_reminder")).one()
    assert event.occurred_at == STALE_AT
    assert clock.now() != STALE_AT  # the clock is released afterwards

    again = _jobs(app, "run", "remind_stale", "--now", (STALE_AT + timedelta(hours=1)).isoformat())
    assert json.loads(again.output)["created"] == 0 and len(_reminders(session)) == 1  # safe to run twice


def test_run_prints_each_jobs_json_result(app):
    res = _jobs(app, "run", "auto_promote", "--now", "2026-12-01T09:00:00Z")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == {"promoted": []}


def test_unknown_job_is_a_usage_error_naming_the_known_ones(app):
    res = _jobs(app, "run", "remind_everyone")
    assert res.exit_code == 2
    assert "remind_everyone" in res.output
    assert all(p.func.__name__ in res.output for p in SCHEDULE)


def test_bad_now_is_refused_clearly(app, session):
    res = _jobs(app, "run", "remind_stale", "--now", "next tuesday")
    assert res.exit_code == 2 and "ISO 8601" in res.output
    res = _jobs(app, "run", "remind_stale", "--now", "2026-11-25T09:00:00")  # no offset: which 09:00?
    assert res.exit_code == 2 and "time zone offset" in res.output
    assert _reminders(session) == []
