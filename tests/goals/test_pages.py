"""Goals, KPI and review pages over the test client: roles, the form, the what-if JSON, CSVs, the task-queue banner."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sequencer.goals.service import create_goal
from sequencer.models import AcquisitionCost, Goal
from sequencer.platform import clock
from tests.goals.seed import LOST_AT_PROPOSAL, WON, contacts, deal

FORM = {"name": "This year", "period_start": "2026-01-01", "period_end": "2026-12-31", "target_kind": "amount",
        "target": "1200000", "currency": "EUR", "owner_id": "", "rate_reply": "10", "average_deal": "30000",
        "weights": "", "window_days": "365"}


def test_a_manager_sets_a_goal_on_the_form_and_sees_plan_rates_and_pace(client, as_role, session):
    as_role("manager")
    response = client.post("/goals", data=FORM)
    assert response.status_code == 302
    goal = session.query(Goal).one()
    assert goal.assumptions == {"reply": 0.1, "average_deal": 30000.0}
    page = client.get(f"/goals/{goal.id}").get_data(as_text=True)
    assert "The plan, worked backwards" in page and "First contact → reply" in page and "What if" in page
    assert client.get("/goals").status_code == 200


def test_a_bad_form_is_a_422_with_the_field_and_nothing_stored(client, as_role, session):
    as_role("manager")
    response = client.post("/goals", data={**FORM, "rate_reply": "250", "period_end": "2025-01-01"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "assumptions.reply" in text and "period_end" in text
    assert session.query(Goal).count() == 0


def test_reps_cannot_set_goals_but_see_the_plan_and_kpis(client, as_role, factory, session):
    as_role("rep")
    assert client.post("/goals", data=FORM).status_code == 403
    assert client.get("/goals").status_code == 200
    assert client.get("/kpis").status_code == 200
    assert client.get("/goals/review").status_code == 403
    assert client.post("/kpis/costs", data={"month": "2026-01", "amount": "1"}).status_code == 403


def test_what_if_answers_json_for_the_page_script(client, as_role, session):
    as_role("manager")
    client.post("/goals", data=FORM)
    goal = session.query(Goal).one()
    base = client.post(f"/goals/{goal.id}/what-if", json={}).get_json()
    half = client.post(f"/goals/{goal.id}/what-if", json={"rates": {"reply": 0.2}}).get_json()
    assert half["plan"]["first_contacts"]["mid"] * 2 == base["plan"]["first_contacts"]["mid"]
    bad = client.post(f"/goals/{goal.id}/what-if", json={"average_deal": -5}, headers={"Accept": "application/json"})
    assert bad.status_code == 422


def test_costs_feed_cac_on_the_kpi_page(client, as_role, factory, session):
    manager = as_role("manager")
    now = clock.now()
    deal(factory, manager, WON, amount=20_000, opened=now - timedelta(days=30), cycle_days=5)
    session.commit()
    month = now.strftime("%Y-%m")
    assert client.post("/kpis/costs", data={"month": month, "amount": "5000", "currency": "EUR"}).status_code == 302
    assert client.post("/kpis/costs", data={"month": month, "amount": "6000", "currency": "EUR"}).status_code == 302
    assert session.query(AcquisitionCost).one().amount == 6000
    page = client.get("/kpis").get_data(as_text=True)
    assert "6,000" in page and "Speed to lead" in page
    assert client.post("/kpis/costs", data={"month": "nope", "amount": "x"}).status_code == 302
    assert session.query(AcquisitionCost).count() == 1


def test_the_review_pack_has_every_table_and_a_csv_for_each(client, as_role, factory, session):
    manager = as_role("manager")
    now = clock.now()
    deal(factory, manager, WON, amount=50_000, opened=now - timedelta(days=20), cycle_days=10)
    deal(factory, manager, LOST_AT_PROPOSAL, amount=9_000, opened=now - timedelta(days=20), cycle_days=10,
         lost_reason="=HYPERLINK(price)")
    session.commit()
    page = client.get("/goals/review").get_data(as_text=True)
    for title in ("Forecast vs actual", "Funnel", "Key deals won", "Key deals lost", "Lost reasons",
                  "Next quarter&#39;s plan"):
        assert title in page, title
    for name in ("forecast", "funnel", "won", "lost", "reasons", "next"):
        response = client.get(f"/goals/review/{name}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv", name
    reasons = client.get("/goals/review/reasons.csv").get_data(as_text=True)
    assert "'=HYPERLINK(price)" in reasons  # defused for spreadsheets
    assert client.get("/goals/review/nope.csv").status_code == 404
    assert client.get("/goals/review?quarter=bogus").status_code == 404


def test_a_rep_behind_pace_sees_it_on_the_task_queue(client, as_role, factory, session, redis_conn):
    rep = as_role("rep")
    manager = factory.user("manager")
    wednesday = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
    with clock.frozen(wednesday):
        create_goal(session, manager, {"name": "Sprint", "period_start": date(2026, 12, 7),
                                       "period_end": date(2026, 12, 31), "target_deals": 20, "owner_id": rep.id,
                                       "assumptions": {"average_deal": 1000, "cycle_days": 0}}, wednesday)
        session.commit()
        assert "first contacts behind this week (Sprint)" in client.get("/tasks").get_data(as_text=True)
        contacts(factory, rep, 400, at=wednesday - timedelta(minutes=5))
        session.commit()
        assert "behind this week" in client.get("/tasks").get_data(as_text=True)  # kept a few minutes in Redis
        redis_conn.delete(f"goals:behind:{rep.id}")
        page = client.get("/tasks").get_data(as_text=True)
    assert "behind this week" not in page and "Tasks" in page


def test_the_manager_home_shows_activity_against_the_plan_and_who_is_behind(client, as_role, factory, session,
                                                                           redis_conn):
    manager = as_role("manager")
    rep = factory.user("rep", name="Rūta Rep")
    wednesday = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
    with clock.frozen(wednesday):
        assert "No running goal" in client.get("/").get_data(as_text=True)
        redis_conn.delete(f"goals:team-pace:{manager.id}")
        create_goal(session, manager, {"name": "Sprint", "period_start": date(2026, 12, 7),
                                       "period_end": date(2026, 12, 31), "target_deals": 20, "owner_id": rep.id,
                                       "assumptions": {"average_deal": 1000, "cycle_days": 0}}, wednesday)
        contacts(factory, rep, 3, at=wednesday - timedelta(minutes=5))
        session.commit()
        page = client.get("/").get_data(as_text=True)
    card = page.split('id="activity-vs-plan"')[1].split("</section>")[0]
    assert "Sprint" in card and "First contacts" in card and "Rūta Rep" in card
    assert "first contacts behind this week" in card
    row = card.split("First contacts</td>")[1].split("</tr>")[0]
    assert '<td class="num">3</td>' in row  # the three first contacts made so far
