"""The forms API as API.md describes it: managers create, the answer carries the key, URL and embed snippet;
bad definitions are a 422 naming the field; submissions list with flags and owner (reps: their own)."""
from __future__ import annotations

from tests.forms.helpers import FIELDS, good_post


def test_create_list_and_submissions(app, api, client, factory):
    manager = api("manager")
    rep = factory.user("rep")
    res = manager.post("/api/v1/forms", json={
        "name": "Pricing guide", "kind": "content_download", "fields": FIELDS,
        "content_url": "https://acme.example/guide.pdf", "allowed_origins": ["https://www.acme.com/"],
        "routing": {"rules": [{"field": "country", "in": ["LT"], "user_id": rep.id}],
                    "round_robin": [{"user_id": rep.id, "weight": 3}]}})
    assert res.status_code == 201, res.get_json()
    body = res.get_json()
    assert body["url"] == f"http://sequencer.test/f/{body['key']}"
    assert f'data-sequencer-form="{body["key"]}"' in body["embed_html"] and "/f/embed.js" in body["embed_html"]
    assert body["allowed_origins"] == ["https://www.acme.com"] and body["welcome_sequence_id"]
    assert [f["id"] for f in manager.get("/api/v1/forms").get_json()] == [body["id"]]

    from sequencer.extensions import db
    from sequencer.models import Form

    form = db.session.get(Form, body["id"])
    client.post(f"/f/{form.key}", json=good_post(app, form, email="info@acme.com"))
    subs = manager.get(f"/api/v1/forms/{body['id']}/submissions")
    assert subs.status_code == 200 and subs.headers["X-Total-Count"] == "1"
    assert subs.get_json()[0]["flags"] == ["role_address"] and subs.get_json()[0]["status"] == "received"
    assert api("rep").get(f"/api/v1/forms/{body['id']}/submissions").get_json() == []  # not theirs


def test_bad_definitions_name_the_field(api):
    manager = api("manager")
    res = manager.post("/api/v1/forms", json={"name": "x", "kind": "content_download",
                                              "fields": [{"name": "first_name"}]})
    fields = {d["field"] for d in res.get_json()["error"]["details"]}
    assert res.status_code == 422 and "fields" in fields
    res = manager.post("/api/v1/forms", json={"name": "x", "kind": "contact", "fields": [{"name": "email"}],
                                              "routing": {"round_robin": [{"user_id": 2**31 - 1, "weight": 1}]}})
    assert res.status_code == 422
    assert api("rep").post("/api/v1/forms", json={"name": "x", "kind": "contact",
                                                  "fields": [{"name": "email"}]}).status_code == 403


def test_unknown_form_is_a_404(api, client):
    assert api("manager").get("/api/v1/forms/999/submissions").status_code == 404
    assert client.get("/f/nope").status_code == 404 and client.post("/f/nope", json={}).status_code == 404
