"""/api/v1/goals and /api/v1/kpis: shapes checked against the OpenAPI document by the test client."""
from __future__ import annotations

from datetime import timedelta

from sequencer.models import Activity, Event, Goal
from sequencer.platform import clock
from tests.goals.seed import WON, contacts, deal

BODY = {"name": "2027", "period_start": "2027-01-01", "period_end": "2027-12-31", "target_amount": 1_200_000,
        "currency": "EUR", "owner_id": None, "assumptions": {"average_deal": 30_000, "reply": 0.1}}


def test_a_manager_sets_a_goal_and_reads_plan_rates_reps_and_pace(api, factory, session):
    manager = api("manager")
    rep = factory.user("rep")
    contacts(factory, rep, 10, replied=2, at=clock.now() - timedelta(days=30))
    session.commit()
    created = manager.post("/api/v1/goals", json=BODY)
    assert created.status_code == 201, created.get_json()
    doc = manager.get(f"/api/v1/goals/{created.get_json()['id']}").get_json()
    assert doc["plan"]["deals"] == {"low": 40, "mid": 40, "high": 40}
    assert doc["rates"]["reply"]["source"] == "assumed" and doc["rates"]["reply"]["n"] == 10
    assert doc["average_deal"] == 30_000 and doc["measures"]["average_deal"]["source"] == "assumed"
    assert [r["user_id"] for r in doc["per_rep"]] == [rep.id]
    assert set(doc["per_rep"][0]["per_day"]) == {"first_contacts", "touches", "meetings", "proposals"}
    assert set(doc["pace"]) >= {"as_of", "planned", "actual", "projection"}
    assert len(doc["target"]["months"]) == 12 and len(doc["target"]["quarters"]) == 4


def test_what_if_changes_the_plan_at_once_and_stores_nothing(api, session):
    manager = api("manager")
    goal_id = manager.post("/api/v1/goals", json=BODY).get_json()["id"]
    base = manager.get(f"/api/v1/goals/{goal_id}").get_json()["plan"]["first_contacts"]["mid"]
    tried = manager.post(f"/api/v1/goals/{goal_id}/what-if", json={"rates": {"reply": 0.2}}).get_json()
    assert tried["plan"]["first_contacts"]["mid"] * 2 == base
    bigger = manager.post(f"/api/v1/goals/{goal_id}/what-if", json={"average_deal": 60_000}).get_json()
    assert bigger["plan"]["deals"]["mid"] == 20
    assert session.get(Goal, goal_id).assumptions["reply"] == 0.1


def test_reps_may_not_set_goals_and_see_only_team_and_own_goals(api, factory, session):
    manager, rep = api("manager"), api("rep")
    assert rep.post("/api/v1/goals", json=BODY).status_code == 403
    other = factory.user("rep")
    session.commit()
    theirs = manager.post("/api/v1/goals", json={**BODY, "owner_id": other.id}).get_json()["id"]
    team = manager.post("/api/v1/goals", json=BODY).get_json()["id"]
    assert rep.get(f"/api/v1/goals/{theirs}").status_code == 404
    assert rep.get(f"/api/v1/goals/{team}").status_code == 200
    assert [g["id"] for g in rep.get("/api/v1/goals").get_json()] == [team]


def test_bad_goals_are_a_422_naming_the_field_and_nothing_is_stored(api, session):
    manager = api("manager")
    cases = [({**BODY, "target_deals": 4}, "target_amount"),
             ({**BODY, "period_end": "2026-01-01"}, "period_end"),
             ({**BODY, "assumptions": {"reply": 2}}, "assumptions.reply"),
             ({**BODY, "assumptions": {"bogus": 0.1}}, "assumptions.bogus"),
             ({**BODY, "assumptions": [1]}, "assumptions"),
             ({**BODY, "owner_id": 2**40}, "owner_id"),
             ({**BODY, "weights": [1, 2]}, "weights"),
             ({**BODY, "target_amount": 1e30}, "target_amount"),
             ({**BODY, "currency": "€€€"}, "currency")]
    for body, field in cases:
        response = manager.post("/api/v1/goals", json=body)
        assert response.status_code == 422, (body, response.get_json())
        assert field in {d["field"] for d in response.get_json()["error"]["details"]}, (field, response.get_json())
    assert session.query(Goal).count() == 0
    goal_id = manager.post("/api/v1/goals", json=BODY).get_json()["id"]
    bad = manager.post(f"/api/v1/goals/{goal_id}/what-if", json={"rates": {"reply": -1}, "average_deal": "x"})
    assert bad.status_code == 422


def test_kpis_answer_the_contract_and_a_rep_gets_only_their_own(api, factory, session):
    manager, rep = api("manager"), api("rep")
    now = clock.now()
    contacts(factory, rep.user, 4, replied=2, met=1, at=now - timedelta(days=3))
    deal(factory, rep.user, WON, amount=10_000, opened=now - timedelta(days=20), cycle_days=10)
    session.commit()
    body = manager.get("/api/v1/kpis").get_json()
    assert body["won"] == 1 and body["win_rate"] == 1.0 and body["average_deal"] == 10_000
    assert body["conversion"]["reply"]["n"] == 4 and body["speed_to_lead"]["median_minutes"] is None
    assert rep.get("/api/v1/kpis").get_json()["owner_id"] == rep.user.id
    assert rep.get(f"/api/v1/kpis?owner={manager.user.id}").status_code == 403
    for query in ("from=yesterday", "owner=-1", "owner=99999999999999", "from=2027-01-02&to=2020-01-01",
                  "currency=€"):
        assert manager.get(f"/api/v1/kpis?{query}").status_code == 422, query


def test_speed_to_lead_is_the_median_minutes_from_a_form_to_the_first_touch(api, factory, session):
    manager = api("manager")
    now = clock.now()
    for minutes in (5, 15, 60):
        p = factory.prospect()
        factory._add(Activity(prospect_id=p.id, kind="form_submitted", occurred_at=now - timedelta(hours=3)))
        factory._add(Event(kind="sent", prospect_id=p.id, occurred_at=now - timedelta(hours=3, minutes=-minutes)))
    session.commit()
    speed = manager.get("/api/v1/kpis").get_json()["speed_to_lead"]
    assert speed == {"median_minutes": 15.0, "n": 3, "submissions": 3}
