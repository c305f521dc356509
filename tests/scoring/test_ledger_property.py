"""The invariant: over any stream of activities, rule edits, re-scores and decay runs, every prospect's score
equals the sum of its ledger, and its activity lines say exactly what the rules in force pay."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import delete, func, select, update

from sequencer.models import Activity, Event, Prospect, ScoreEntry, ScoringConfig, Task
from sequencer.scoring import config, decay, ingest, points, rescore

START = datetime(2026, 1, 1, tzinfo=UTC)
KINDS = ["page_view", "content_download", "webinar_attended", "demo_requested", "custom"]

activity = st.tuples(st.integers(0, 2), st.sampled_from(KINDS), st.integers(0, 300),
                     st.sampled_from(["/pricing", "/blog", "/pricing/enterprise"]))
rule_edit = st.fixed_dictionaries({
    "pricing": st.integers(-5, 30), "download": st.integers(0, 30), "cap": st.integers(0, 60),
    "max_times": st.one_of(st.none(), st.integers(1, 3)), "threshold": st.integers(10, 80),
    "decay": st.sampled_from([{}, {"points": 10, "idle_days": 30}, {"points": 25, "idle_days": 7},
                              {"half_life_days": 20}])})
step = st.one_of(st.tuples(st.just("acts"), st.lists(activity, min_size=1, max_size=6)),
                 st.tuples(st.just("rules"), rule_edit), st.tuples(st.just("decay"), st.integers(1, 120)))


def _rules(edit: dict) -> dict:
    return {"groups": [{"key": "content", "cap": edit["cap"]}], "threshold": edit["threshold"], "decay": edit["decay"],
            "rules": [{"key": "pricing_page", "kind": "page_view", "match": {"path_contains": "/pricing"},
                       "points": edit["pricing"], "max_times": edit["max_times"]},
                      {"key": "download", "kind": "content_download", "points": edit["download"], "group": "content"},
                      {"key": "webinar", "kind": "webinar_attended", "points": 20, "group": "content"},
                      {"key": "demo", "kind": "demo_requested", "points": 25}]}


def _check(session, ids: list[int]) -> None:
    rules = config.current(session)
    for pid in ids:
        p = session.get(Prospect, pid)
        session.refresh(p)
        total = session.scalar(select(func.coalesce(func.sum(ScoreEntry.points), 0))
                               .where(ScoreEntry.prospect_id == pid))
        assert p.score_fit + p.score_engagement == total
        assert p.score_engagement >= 0
        acts = [points.Act(a.id, a.kind, a.occurred_at, a.properties) for a in
                session.scalars(select(Activity).where(Activity.prospect_id == pid))]
        paid = session.scalar(select(func.coalesce(func.sum(ScoreEntry.points), 0))
                              .where(ScoreEntry.prospect_id == pid, ScoreEntry.kind == "engagement"))
        assert paid == sum(points.engagement(rules, acts).values())


def _reset(session, ids: list[int]) -> None:
    for model in (Event, Task, ScoreEntry, Activity, ScoringConfig):
        session.execute(delete(model))
    session.execute(update(Prospect).values(score_fit=0, score_engagement=0, sales_ready=False, sales_ready_at=None,
                                            sales_ready_crossings=0, last_activity_at=None, score_decay_steps=0))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=8))
def test_score_always_equals_the_sum_of_its_ledger(session, factory, steps):
    ids = sorted(session.scalars(select(Prospect.id)).all()) or [factory.prospect().id for _ in range(3)]
    _reset(session, ids)
    manager = factory.user("manager")
    now = START
    for kind, value in steps:
        if kind == "acts":
            now += timedelta(days=1)
            ingest.receive(session, [{"prospect_id": ids[i], "kind": k, "occurred_at": (now - timedelta(days=d % 200))
                                      .isoformat(), "properties": {"url": f"https://a.example{path}"}}
                                     for i, k, d, path in value], now)
        elif kind == "rules":
            rescore.rescore_all(session, now, config.save(session, _rules(value), manager))
        else:
            now += timedelta(days=value)
            decay.run(session, now)
        _check(session, ids)
    session.rollback()
