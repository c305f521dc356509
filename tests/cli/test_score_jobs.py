"""`sequencer jobs run score_decay --now ...` and `score_pending`: the scoring jobs from the command line."""
from __future__ import annotations

import json
from datetime import UTC, datetime

from sequencer.models import Event, Prospect
from sequencer.scoring import ingest

ACTIVE = datetime(2026, 9, 1, 12, tzinfo=UTC)


def test_score_decay_runs_as_of_now_once(app, session, factory):
    p = factory.prospect(timezone="Europe/Vilnius")
    ingest.receive(session, [{"prospect_id": p.id, "kind": "demo_requested", "occurred_at": ACTIVE.isoformat()}],
                   ACTIVE)
    session.commit()
    runner = app.test_cli_runner()
    res = runner.invoke(args=["jobs", "run", "score_decay", "--now", "2026-10-15T09:00:00+03:00"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == {"prospects": 1, "points": 10, "checked": 1}
    again = runner.invoke(args=["jobs", "run", "score_decay", "--now", "2026-10-15T10:00:00+03:00"])
    assert json.loads(again.output)["prospects"] == 0
    session.expire_all()
    assert session.get(Prospect, p.id).score_engagement == 15


def test_score_pending_scores_own_events(app, session, factory):
    p = factory.prospect()
    session.add(Event(kind="meeting_booked", occurred_at=ACTIVE, prospect_id=p.id))
    session.commit()
    res = app.test_cli_runner().invoke(args=["jobs", "run", "score_pending", "--now", ACTIVE.isoformat()])
    assert res.exit_code == 0, res.output
    session.expire_all()
    assert session.get(Prospect, p.id).last_activity_at == ACTIVE
