"""Pipeline pages: board figures and moves, list filters and CSV, one-click deals, reports, stale rules, roles."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from sequencer.accounts.workspace import get_workspace
from sequencer.deals.stale import create_reminders
from sequencer.models import Event, Opportunity, Stage, StageChange, Task
from sequencer.platform import clock
from tests.web.test_csrf_and_queries import _count_queries

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
JSON = {"Accept": "application/json"}


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


def _deal(factory, owner, stage="proposal", amount=10000, days_ago=1, **kw):
    return factory.opportunity(stage=stage, owner=owner, amount=Decimal(amount),
                               created_at=NOW - timedelta(days=days_ago), **kw)


def test_board_sums_amounts_per_column_and_flags_stale_deals(client, as_role, factory, session):
    rep = as_role("rep")
    _deal(factory, rep, amount=12000)
    _deal(factory, rep, amount=8000, days_ago=9, name="Quiet deal")
    _deal(factory, rep, stage="negotiation", amount=30000, currency="USD")
    session.commit()
    html = client.get("/pipeline").get_data(as_text=True)
    assert "€20,000" in html and "$30,000" in html
    assert "Quiet deal" in html and "Stale since" in html and "proposal deals go stale after 5" in html
    assert 'data-stage="closed_lost"' in html and 'id="lost-dialog"' in html


def test_board_queries_do_not_grow_with_deals(client, as_role, factory, session):
    rep = as_role("rep")
    for _ in range(2):
        _deal(factory, rep)
    session.commit()
    client.get("/pipeline")  # the first visit creates the settings row
    few = _count_queries(client, "/pipeline")
    for _ in range(8):
        _deal(factory, rep, days_ago=20)
    session.commit()
    assert _count_queries(client, "/pipeline") == few


def test_moving_a_card_returns_the_new_column_figures(client, as_role, factory, session):
    rep = as_role("rep")
    opp = _deal(factory, rep, amount=5000)
    _deal(factory, rep, amount=7000)
    _deal(factory, factory.user("rep"), stage="qualification", amount=1000)
    session.commit()
    url = f"/opportunities/{opp.id}/stage"
    res = client.post(url, data={"stage": "negotiation"}, headers=JSON)
    assert res.status_code == 200 and res.json["ok"] and res.json["stage"] == "negotiation"
    assert res.json["columns"]["negotiation"] == {"count": 1, "total": "€5,000"}
    assert res.json["columns"]["proposal"] == {"count": 1, "total": "€7,000"}
    assert res.json["columns"]["qualification"] == {"count": 1, "total": "€1,000"}
    mine = client.post(url, data={"stage": "proposal", "owner": rep.id}, headers=JSON).json  # the board's filter
    assert mine["columns"]["proposal"]["count"] == 2 and mine["columns"]["qualification"]["count"] == 0
    refused = client.post(url, data={"stage": "closed_lost"}, headers=JSON)
    assert refused.status_code == 422 and refused.json["field"] == "lost_reason"
    assert client.post(url, data={"stage": "closed_lost", "lost_reason": "No budget"}, headers=JSON).json["ok"]
    session.expire_all()
    assert opp.stage == Stage.CLOSED_LOST and opp.lost_reason == "No budget"
    assert [h.to_stage for h in session.scalars(select(StageChange).where(StageChange.opportunity_id == opp.id)
                                                .order_by(StageChange.id))] == ["proposal", "negotiation", "proposal", "closed_lost"]


def test_a_rep_cannot_move_someone_elses_deal(client, as_role, factory, session):
    as_role("rep")
    other = _deal(factory, factory.user("rep"))
    session.commit()
    assert client.post(f"/opportunities/{other.id}/stage", data={"stage": "negotiation"}, headers=JSON).status_code == 403
    session.expire_all()
    assert other.stage == Stage.PROPOSAL


def test_list_filters_stale_and_exports_csv_with_formulas_defused(client, as_role, factory, session):
    manager = as_role("manager")
    _deal(factory, manager, name="=HYPERLINK(\"http://x\")", days_ago=9)
    _deal(factory, manager, name="Fresh deal")
    session.commit()
    html = client.get("/pipeline/list?stale=true").get_data(as_text=True)
    assert "HYPERLINK" in html and "Fresh deal" not in html
    res = client.get("/pipeline/list?format=csv&stale=true")
    assert res.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(res.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Deal" and rows[1][0] == "'=HYPERLINK(\"http://x\")" and len(rows) == 2
    assert "proposal deals go stale after 5" in rows[1][rows[0].index("Why stale")]


def test_one_click_deal_from_the_prospect_page_and_the_task_queue(client, as_role, factory, session):
    rep = as_role("rep")
    p = factory.prospect(owner_id=rep.id, company=factory.company(name="Baltic Freight"))
    session.add(Event(kind="meeting_booked", occurred_at=NOW - timedelta(hours=2), prospect_id=p.id))
    task = factory.task("call", owner_id=rep.id, prospect_id=p.id, due_at=NOW, title="Prep the meeting")
    session.commit()
    assert 'id="create-deal"' in client.get(f"/prospects/{p.id}").get_data(as_text=True)
    queue = client.get("/tasks").get_data(as_text=True)
    assert "+ Create deal" in queue and "Meeting booked" in queue
    res = client.post("/opportunities/quick", data={"prospect_id": p.id, "task_id": task.id})
    opp = session.scalars(select(Opportunity)).one()
    assert res.headers["Location"].endswith(f"/opportunities/{opp.id}?edit=1")
    assert (opp.name, opp.stage, opp.owner_id, opp.company_id) == (
        "Baltic Freight — new deal", Stage.QUALIFICATION, rep.id, p.company_id)
    again = client.post("/opportunities/quick", data={"prospect_id": p.id})  # a second click opens the same deal
    assert again.headers["Location"].endswith(f"/opportunities/{opp.id}")
    assert session.scalar(select(Opportunity.id).where(Opportunity.id != opp.id)) is None
    assert "Open deal" in client.get(f"/prospects/{p.id}").get_data(as_text=True)
    assert f"/opportunities/{opp.id}" in client.get("/tasks").get_data(as_text=True)


def test_stale_reminders_show_in_the_owners_task_queue(client, as_role, factory, session):
    rep = as_role("rep")
    opp = _deal(factory, rep, days_ago=9, name="Quiet deal")
    session.commit()
    create_reminders(session, NOW)
    session.commit()
    html = client.get("/tasks").get_data(as_text=True)
    assert "Stale deal: Quiet deal" in html and "No activity for 9 days" in html
    assert f"/opportunities/{opp.id}" in html


def test_deal_page_edits_bant_and_a_logged_note_counts_as_activity(client, as_role, factory, session):
    rep = as_role("rep")
    opp = _deal(factory, rep, days_ago=9)
    session.commit()
    assert "Stale since" in client.get(f"/opportunities/{opp.id}").get_data(as_text=True)
    bad = client.post(f"/opportunities/{opp.id}", data={"name": "D", "amount": "lots", "currency": "EUR"})
    assert bad.status_code == 422 and "must be a number" in bad.get_data(as_text=True)
    ok = client.post(f"/opportunities/{opp.id}", data={
        "name": "Deal", "amount": "24 000,50", "currency": "eur", "close_date": "2027-02-01",
        "bant_budget": "€25k approved", "bant_budget_ok": "yes", "bant_need": "", "bant_need_ok": "no"})
    assert ok.status_code == 302
    session.expire_all()
    assert opp.amount == Decimal("24000.50") and opp.currency == "EUR"
    assert opp.bant["budget"] == {"value": "€25k approved", "ok": True} and opp.bant["need"] == {"value": "", "ok": False}
    create_reminders(session, NOW)
    session.commit()
    client.post(f"/opportunities/{opp.id}/note", data={"kind": "call_logged", "text": "CFO wants a pilot"})
    page = client.get(f"/opportunities/{opp.id}").get_data(as_text=True)
    assert "Stale since" not in page and "CFO wants a pilot" in page
    session.expire_all()
    assert session.scalars(select(Task.outcome).where(Task.opportunity_id == opp.id)).all() == ["activity_logged"]


def test_reports_for_managers_with_csv(client, as_role, factory, session):
    manager = as_role("manager")
    won = _deal(factory, manager, stage="negotiation", amount=20000, days_ago=30)
    lost = _deal(factory, manager, stage="proposal", amount=9000, days_ago=20)
    from sequencer.deals.deals import move_stage

    move_stage(session, won, Stage.CLOSED_WON, manager, NOW - timedelta(days=2))
    move_stage(session, lost, Stage.CLOSED_LOST, manager, NOW - timedelta(days=1), "@competitor cheaper")
    session.commit()
    html = client.get("/reports/pipeline").get_data(as_text=True)
    assert "50%" in html and "€20,000" in html and "28 days" in html and "2026 Q4" in html
    assert "vendor/chartjs/chart.umd.min.js" in html and 'id="chart-data"' in html
    lost_csv = client.get("/reports/pipeline/lost_reasons.csv").get_data(as_text=True)
    assert "'@competitor cheaper,1,9000" in lost_csv
    assert client.get("/reports/pipeline/quarters.csv").status_code == 200
    assert client.get("/reports/pipeline/nope.csv").status_code == 404
    assert "/reports/pipeline" in client.get("/reports").get_data(as_text=True)


def test_rules_are_for_managers_and_a_reps_pipeline_report_is_their_own(client, as_role):
    rep = as_role("rep")
    assert client.get("/reports/pipeline").status_code == 200
    assert client.get(f"/reports/pipeline?owner={rep.id + 1}").status_code == 403
    assert client.get("/pipeline/rules").status_code == 403
    assert client.post("/pipeline/rules", data={"proposal": "1"}).status_code == 403


def test_managers_edit_stale_rules(client, as_role, session):
    as_role("manager")
    bad = client.post("/pipeline/rules", data={"proposal": "0", "negotiation": "2"})
    assert bad.status_code == 422 and "whole number from 1 to 365" in bad.get_data(as_text=True)
    ok = client.post("/pipeline/rules", data={"qualification": "10", "proposal": "4", "negotiation": "",
                                              "email_owner": "on"})
    assert ok.status_code == 302
    session.expire_all()
    ws = get_workspace(session)
    assert ws.stale_rules == {"qualification": 10, "proposal": 4} and ws.stale_email_owner
