"""Global search from the top bar; error pages keep the navigation and speak plainly; the home page per role."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sequencer.models import ProspectStatus, TaskStatus
from sequencer.platform import clock

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)


def test_global_search_finds_prospects_companies_deals_and_sequences(client, as_role, factory, session):
    as_role("rep")
    acme = factory.company(name="Vilniaus Acme", domain="acme-vilnius.test")
    factory.prospect(first_name="Rūta", last_name="Acmeite", company=acme)
    factory.prospect(first_name="Nobody", last_name="Else")
    factory.opportunity(name="Acme renewal", company=acme)
    factory.sequence(name="Acme expansion", steps=1)
    session.commit()
    html = client.get("/search?q=acme").get_data(as_text=True)
    for section in ("results-prospects", "results-companies", "results-deals", "results-sequences"):
        assert f'id="{section}"' in html
    assert "Rūta Acmeite" in html and "Vilniaus Acme" in html and "Acme renewal" in html and "Acme expansion" in html
    assert "Nobody" not in html
    assert "No prospect matches." in client.get("/search?q=%25_").get_data(as_text=True)  # wildcards are letters


def test_every_page_has_the_search_box_and_its_script(client, as_role):
    as_role("rep")
    html = client.get("/tasks").get_data(as_text=True)
    assert 'id="global-search"' in html and 'action="/search"' in html
    assert "data-nav-toggle" in html and 'aria-controls="sidebar"' in html


def test_not_found_keeps_the_navigation_and_speaks_plainly(client, as_role):
    as_role("rep")
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in html and 'class="sidebar"' in html and 'id="global-search"' in html
    assert "requested URL" not in html  # werkzeug's stock sentence


def test_signed_out_errors_use_the_bare_page(client):
    html = client.get("/no-such-page").get_data(as_text=True)
    assert "Page not found" in html and 'class="sidebar"' not in html


def test_forbidden_keeps_the_navigation(client, as_role):
    as_role("rep")
    response = client.get("/tasks/team")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "Not allowed" in html and 'class="sidebar"' in html


def test_rep_home_shows_the_day_at_a_glance(client, as_role, factory, session):
    clock.freeze(NOW)
    rep = as_role("rep", timezone="Europe/Vilnius")
    asker = factory.prospect(first_name="Ieva", last_name="Asker", owner_id=rep.id)
    factory.task("call", owner_id=rep.id, title="Call Jonas today", due_at=NOW + timedelta(hours=1))
    factory.task("call", owner_id=rep.id, title="Call Ona late", due_at=NOW - timedelta(days=2))
    factory.task("call", owner_id=rep.id, title="Done already", due_at=NOW, status=TaskStatus.DONE)
    factory.task("reply_followup", owner_id=rep.id, title="Reply to Ieva", prospect_id=asker.id,
                 due_at=NOW + timedelta(days=3))
    factory.prospect(first_name="Hot", last_name="Mine", owner_id=rep.id, sales_ready=True, score_engagement=80,
                     last_activity_at=NOW - timedelta(days=1))
    factory.prospect(first_name="Hot", last_name="Theirs", sales_ready=True, score_engagement=90,
                     last_activity_at=NOW - timedelta(days=1))
    factory.prospect(first_name="Cold", last_name="Mine", owner_id=rep.id, sales_ready=True,
                     last_activity_at=NOW - timedelta(days=60), status=ProspectStatus.ACTIVE)
    session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Call Jonas today" in html and "Call Ona late" in html and "Done already" not in html
    assert html.index("Call Ona late") < html.index("Call Jonas today")  # overdue first
    assert "Ieva Asker" in html and "Reply to Ieva" in html
    assert "Hot Mine" in html and "Hot Theirs" not in html and "Cold Mine" not in html


def test_manager_home_shows_the_team_at_a_glance(client, as_role, factory, session):
    clock.freeze(NOW)
    as_role("manager")
    rep = factory.user("rep", name="Rūta Rep")
    factory.task("call", owner_id=rep.id, due_at=NOW - timedelta(days=3))
    factory.sequence(name="Live sequence", steps=1, status="active")
    factory.sequence(name="Draft sequence", steps=1)
    session.commit()
    html = client.get("/").get_data(as_text=True)
    assert 'id="activity-vs-plan"' in html
    assert "Rūta Rep" in html and "Live sequence" in html and "Draft sequence" not in html
    assert 'id="home-stale"' in html
