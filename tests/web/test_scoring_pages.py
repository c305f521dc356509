"""Lead scoring in the UI: the prospect page explains the score, the list sorts and filters by it, Hot leads,
the managers' rules editor with its dry run, score on the task panel, deal page and board, and the CSV."""
from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from sequencer.models import Prospect
from sequencer.platform import clock
from sequencer.scoring import ingest


def _score(session, p: Prospect, *kinds: str, days_ago: float = 0) -> None:
    when = clock.now() - timedelta(days=days_ago)
    ingest.receive(session, [{"prospect_id": p.id, "kind": k, "occurred_at": when.isoformat(),
                              "properties": {"url": "https://acme.example/pricing"}} for k in kinds], clock.now())
    session.commit()


def test_prospect_page_explains_the_score(client, as_role, factory, session):
    rep = as_role("rep")
    p = factory.prospect(owner_id=rep.id)
    _score(session, p, "demo_requested", days_ago=3)
    _score(session, p, "page_view")
    html = client.get(f"/prospects/{p.id}").get_data(as_text=True)
    assert 'id="score-panel"' in html
    assert "+25 demo request, 3 days ago \u00b7 +10 pricing page, today" in html.replace("&#43;", "+")


def test_list_sorts_and_filters_by_score_and_exports_it(client, as_role, factory, session):
    as_role("rep")
    cold, hot = factory.prospect(last_name="Aaa-cold"), factory.prospect(last_name="Zzz-hot")
    _score(session, hot, "demo_requested", "webinar_attended", "content_download")
    html = client.get("/prospects?sort=-score").get_data(as_text=True)
    assert html.index("Zzz-hot") < html.index("Aaa-cold")
    ready = client.get("/prospects?sales_ready=true").get_data(as_text=True)
    assert "Zzz-hot" in ready and "Aaa-cold" not in ready
    rows = list(csv.reader(io.StringIO(client.get("/prospects.csv?sort=-score").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][7:10] == ["Engagement score", "Fit score", "Sales-ready"]
    assert [r[7] for r in rows[1:]] == ["60", "0"] and rows[1][9] == "yes"
    assert cold.score_engagement == 0


def test_hot_leads_are_sales_ready_recent_and_own_first(client, as_role, factory, session):
    rep = as_role("rep")
    other = factory.user("rep", name="Other Rep")
    theirs = factory.prospect(last_name="Theirs", owner_id=other.id)
    mine = factory.prospect(last_name="Mine", owner_id=rep.id)
    stale = factory.prospect(last_name="Longago", owner_id=rep.id)
    _score(session, theirs, "demo_requested", "webinar_attended", "content_download", "page_view")
    _score(session, mine, "demo_requested", "webinar_attended", "page_view")
    _score(session, stale, "demo_requested", "webinar_attended", "page_view", days_ago=20)
    html = client.get("/hot-leads").get_data(as_text=True)
    assert html.index("Mine") < html.index("Theirs") and "Longago" not in html
    assert "scoring-rules-link" not in html  # reps do not edit the rules


def test_reps_may_not_open_the_rules_editor(client, as_role):
    as_role("rep")
    assert client.get("/settings/scoring").status_code == 403


def test_rules_editor_is_for_managers_with_a_dry_run(client, as_role, factory, session):
    as_role("manager")
    p = factory.prospect()
    _score(session, p, "demo_requested", "webinar_attended")  # 45
    page = client.get("/settings/scoring").get_data(as_text=True)
    assert "Version 0" in page
    form = {"threshold": "40", "decay_points": "10", "decay_days": "30", "groups": "[]",
            "rules": json.dumps([{"key": "demo_requested", "kind": "demo_requested", "points": 25},
                                 {"key": "webinar", "kind": "webinar_attended", "points": 20}])}
    dry = client.post("/settings/scoring", data={**form, "action": "dry_run"}).get_data(as_text=True)
    assert "makes <strong>1</strong> prospect sales-ready" in dry and "drops <strong>0</strong>" in dry
    session.expire_all()
    assert session.get(Prospect, p.id).sales_ready is False
    bad = client.post("/settings/scoring", data={**form, "rules": "[{\"key\": \"x\", \"kind\": \"page_view\","
                                                 " \"points\": 5, \"match\": {\"regex\": \"x\"}}]", "action": "save"})
    assert bad.status_code == 422 and "rules.0.match" in bad.get_data(as_text=True)
    saved = client.post("/settings/scoring", data={**form, "action": "save"})
    assert saved.status_code == 302
    session.expire_all()
    assert session.get(Prospect, p.id).sales_ready is True


def test_score_on_the_deal_page_and_company_score_on_the_board(client, as_role, factory, session):
    rep = as_role("rep")
    company = factory.company(name="Baltic Freight")
    a, b = factory.prospect(company_id=company.id), factory.prospect(company_id=company.id)
    opp = factory.opportunity(prospect=a, company=company, owner_id=rep.id, owner=rep)
    _score(session, a, "demo_requested")
    _score(session, b, "webinar_attended", "page_view")
    deal = client.get(f"/opportunities/{opp.id}").get_data(as_text=True)
    assert 'id="deal-score"' in deal and "company 30 max · 55 sum" in deal
    assert "company 30 max · 55 sum" in client.get("/pipeline").get_data(as_text=True)
