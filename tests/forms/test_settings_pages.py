"""Settings → Forms: a manager builds a form on the page and sees the three ways to put it on a site; reps can't."""
from __future__ import annotations

from sqlalchemy import select

from sequencer.models import Form
from tests.conftest import login


def test_manager_builds_a_form_and_sees_the_snippets(client, session, factory):
    manager = factory.user("manager")
    rep = factory.user("rep", name="Rita Rep")
    session.commit()
    login(client, manager.email)
    assert "New form" in client.get("/settings/forms").get_data(as_text=True)
    res = client.post("/settings/forms/new", data={
        "name": "Pricing guide", "kind": "content_download", "use_first_name": "1", "use_consent": "1",
        "req_consent": "1", "consent_text": "Send me the guide and related news.",
        "content_url": "https://acme.example/guide.pdf", "allowed_origins": "https://www.acme.com",
        "custom_fields": "team_size: Team size", f"weight_{rep.id}": "2", "rule_in_0": "LT, LV",
        "rule_field_0": "country", "rule_user_0": str(rep.id), "remind_minutes": "5", "manager_minutes": "15",
        "reassign_minutes": "60"})
    assert res.status_code == 302
    form = session.scalars(select(Form)).one()
    assert [f["name"] for f in form.fields] == ["email", "first_name", "consent", "team_size"]
    assert form.routing["round_robin"] == [{"user_id": rep.id, "weight": 2}]
    assert form.routing["rules"] == [{"field": "country", "in": ["LT", "LV"], "user_id": rep.id}]
    page = client.get(res.headers["Location"]).get_data(as_text=True)
    assert f"/f/{form.key}" in page and "data-sequencer-form" in page and "method=&#34;post&#34;" in page


def test_bad_definition_is_a_422_that_keeps_the_input(client, session, factory):
    manager = factory.user("manager")
    session.commit()
    login(client, manager.email)
    res = client.post("/settings/forms/new", data={"name": "Guide", "kind": "content_download"})
    assert res.status_code == 422 and "content_url" in res.get_data(as_text=True)
    assert 'value="Guide"' in res.get_data(as_text=True)


def test_reps_cannot_open_form_settings(client, session, factory):
    rep = factory.user("rep")
    session.commit()
    login(client, rep.email)
    assert client.get("/settings/forms").status_code == 403
