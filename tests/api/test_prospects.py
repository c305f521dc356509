"""POST/GET/PATCH /api/v1/prospects: normalisation, duplicates, per-field 422s, filters, paging, roles."""
from __future__ import annotations

import pytest

from sequencer.models import Company, Prospect

BASE = {"email": "  Ruta.Petraityte@Example.LT ", "first_name": "Rūta", "last_name": "Petraitytė",
        "title": "CFO", "company": "Baltic Freight", "company_domain": "www.BalticFreight.lt",
        "timezone": "Europe/Vilnius", "country": "lt", "phone": "8 612 34567",
        "linkedin_url": "https://www.linkedin.com/in/ruta", "fields": {"crm_id": "A-17", "seats": 40}}


def patch(client, caller, url, json):
    return client.patch(url, json=json, headers=caller.headers)


def test_create_normalises_email_phone_country_and_company(api, factory, session):
    cfo = factory.persona("cfo", name="CFO", title_keywords=["CFO"])
    caller = api("manager")
    res = caller.post("/api/v1/prospects", json=BASE)
    assert res.status_code == 201, res.json
    body = res.json
    assert body["email"] == "ruta.petraityte@example.lt"
    assert body["phone"] == "+37061234567"
    assert body["country"] == "LT" and body["timezone"] == "Europe/Vilnius"
    assert body["status"] == "active"
    assert body["company"] == "Baltic Freight" and body["company_domain"] == "balticfreight.lt"
    assert body["persona"] == "cfo"  # suggested from the title
    assert body["owner_id"] == caller.user.id
    assert body["fields"] == {"crm_id": "A-17", "seats": 40}
    row = session.get(Prospect, body["id"])
    assert row.email_normalized == "ruta.petraityte@example.lt" and row.persona_id == cfo.id


def test_company_is_matched_by_domain(api, factory, session):
    existing = factory.company(name="Acme UAB", domain="acme.lt")
    res = api("manager").post("/api/v1/prospects", json={"email": "a@acme.lt", "company": "ACME",
                                                         "company_domain": "ACME.lt"})
    assert res.status_code == 201
    assert res.json["company_id"] == existing.id and res.json["company"] == "Acme UAB"
    assert session.query(Company).count() == 1


@pytest.mark.parametrize("email", ["ruta@example.lt", "  RUTA@Example.LT  ", "Ruta@EXAMPLE.lt"])
def test_duplicate_email_is_409_with_existing_id(api, email):
    caller = api("manager")
    first = caller.post("/api/v1/prospects", json={"email": "ruta@example.lt"})
    again = caller.post("/api/v1/prospects", json={"email": email, "first_name": "Other"})
    assert again.status_code == 409
    assert again.json["error"]["code"] == "duplicate"
    assert again.json["error"]["existing_id"] == first.json["id"]


@pytest.mark.parametrize(("field", "value"), [
    ("email", "not-an-email"), ("timezone", "Mars/Base"), ("country", "XX"), ("persona", "ceo"),
    ("owner_id", 999999), ("phone", "call me"), ("status", "asleep"), ("fields", ["a", "b"]),
    ("linkedin_url", "javascript:alert(1)"), ("company_domain", "not a domain"),
])
def test_each_invalid_field_is_422_naming_it(api, factory, field, value):
    factory.persona("cfo")
    payload = {"email": "ok@example.com", field: value}
    res = api("manager").post("/api/v1/prospects", json=payload)
    assert res.status_code == 422, res.json
    assert res.json["error"]["code"] == "validation_error"
    assert res.json["error"]["details"][0]["field"] == field


def test_all_bad_fields_are_reported_together(api):
    res = api("manager").post("/api/v1/prospects", json={"email": "x@example.com", "timezone": "Mars/Base",
                                                         "country": "XX", "phone": "call me"})
    assert res.status_code == 422
    assert [d["field"] for d in res.json["error"]["details"]] == ["timezone", "country", "phone"]


def test_missing_email_is_422(api):
    res = api("manager").post("/api/v1/prospects", json={"first_name": "Nobody"})
    assert res.status_code == 422 and res.json["error"]["details"][0]["field"] == "email"


def test_phone_without_country_needs_international_form(api):
    caller = api("manager")
    assert caller.post("/api/v1/prospects", json={"email": "a@x.com", "phone": "612 34567"}).status_code == 422
    res = caller.post("/api/v1/prospects", json={"email": "b@x.com", "phone": "+370 612 34567"})
    assert res.status_code == 201 and res.json["phone"] == "+37061234567"


def test_persona_suggested_from_lithuanian_title(api, factory):
    cfo = factory.persona("cfo", name="CFO", title_keywords=["CFO", "Finansų direktorius"])
    factory.persona("cto", name="CTO", title_keywords=["CTO"])
    res = api("rep").post("/api/v1/prospects", json={"email": "jonas@imone.lt", "title": "Finansų direktorius"})
    assert res.status_code == 201 and res.json["persona"] == "cfo"
    # "cto" inside "direktorius"/"Director" is not a match: keywords start at a word boundary
    res = api("rep").post("/api/v1/prospects", json={"email": "d@imone.lt", "title": "Sales Director"})
    assert res.json["persona"] is None
    assert cfo.key == "cfo"


def test_explicit_persona_wins_over_suggestion(api, factory):
    factory.persona("cfo", title_keywords=["CFO"])
    factory.persona("ceo", title_keywords=["CEO"])
    res = api("manager").post("/api/v1/prospects", json={"email": "a@b.lt", "title": "CFO", "persona": "ceo"})
    assert res.json["persona"] == "ceo"


def test_get_one_and_404(api):
    caller = api("rep")
    created = caller.post("/api/v1/prospects", json={"email": "g@example.com", "first_name": "Greta"}).json
    got = caller.get(f"/api/v1/prospects/{created['id']}")
    assert got.status_code == 200 and got.json["first_name"] == "Greta" and got.json["name"] == "Greta"
    missing = caller.get("/api/v1/prospects/999999")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"


def test_list_filters_by_q_persona_status(api, factory, session):
    cfo = factory.persona("cfo")
    factory.prospect(first_name="Ona", last_name="Alpha", persona=cfo, country="LT")
    factory.prospect(first_name="Petras", last_name="Beta", persona=cfo, status="bounced")
    factory.prospect(first_name="Ona", last_name="Gamma", email="ona.gamma@other.lt")
    session.commit()
    caller = api("rep")
    names = lambda res: [p["last_name"] for p in res.json]  # noqa: E731
    assert names(caller.get("/api/v1/prospects?q=ona")) == ["Alpha", "Gamma"]
    assert names(caller.get("/api/v1/prospects?persona=cfo")) == ["Alpha", "Beta"]
    assert names(caller.get("/api/v1/prospects?status=bounced")) == ["Beta"]
    assert names(caller.get("/api/v1/prospects?persona=cfo&status=active&country=lt")) == ["Alpha"]
    res = caller.get("/api/v1/prospects?q=ona")
    assert res.headers["X-Total-Count"] == "2"


def test_list_pages_with_headers(api, factory, session):
    for n in range(120):
        factory.prospect(last_name=f"P{n:03d}")
    session.commit()
    caller = api("manager")
    first = caller.get("/api/v1/prospects")
    assert len(first.json) == 50 and first.json[0]["last_name"] == "P000"
    assert first.headers["X-Total-Count"] == "120"
    assert 'page=2>; rel="next"' in first.headers["Link"] and 'page=3>; rel="last"' in first.headers["Link"]
    assert 'rel="prev"' not in first.headers["Link"]
    third = caller.get("/api/v1/prospects?page=3")
    assert [p["last_name"] for p in third.json] == [f"P{n:03d}" for n in range(100, 120)]
    assert 'rel="next"' not in third.headers["Link"] and 'page=2>; rel="prev"' in third.headers["Link"]
    assert caller.get("/api/v1/prospects?page=0").status_code == 422


def test_owner_me_filter(api, factory, session):
    caller = api("rep")
    factory.prospect(last_name="Mine", owner_id=caller.user.id)
    factory.prospect(last_name="Theirs")
    session.commit()
    assert [p["last_name"] for p in caller.get("/api/v1/prospects?owner=me").json] == ["Mine"]


def test_patch_changes_only_given_fields(api, client, factory, session):
    factory.persona("cto", title_keywords=["CTO"])
    caller = api("manager")
    created = caller.post("/api/v1/prospects", json=BASE).json
    res = patch(client, caller, f"/api/v1/prospects/{created['id']}",
                {"title": "CTO", "persona": "cto", "phone": "+37061111111", "status": "do_not_contact"})
    assert res.status_code == 200, res.json
    assert res.json["persona"] == "cto" and res.json["phone"] == "+37061111111"
    assert res.json["status"] == "do_not_contact"
    assert res.json["email"] == "ruta.petraityte@example.lt" and res.json["timezone"] == "Europe/Vilnius"
    bad = patch(client, caller, f"/api/v1/prospects/{created['id']}", {"timezone": "Mars/Base"})
    assert bad.status_code == 422 and bad.json["error"]["details"][0]["field"] == "timezone"
    assert session.get(Prospect, created["id"]).timezone == "Europe/Vilnius"


def test_patch_to_another_prospects_email_is_409(api, client):
    caller = api("manager")
    a = caller.post("/api/v1/prospects", json={"email": "a@example.com"}).json
    b = caller.post("/api/v1/prospects", json={"email": "b@example.com"}).json
    res = patch(client, caller, f"/api/v1/prospects/{b['id']}", {"email": " A@Example.com"})
    assert res.status_code == 409 and res.json["error"]["existing_id"] == a["id"]
    same = patch(client, caller, f"/api/v1/prospects/{a['id']}", {"email": "A@example.com"})
    assert same.status_code == 200


def test_rep_updates_only_own_prospects(api, client, factory, session):
    rep = api("rep")
    mine = rep.post("/api/v1/prospects", json={"email": "mine@example.com"}).json
    assert mine["owner_id"] == rep.user.id
    other = factory.prospect(owner_id=factory.user("rep").id)
    session.commit()
    assert patch(client, rep, f"/api/v1/prospects/{mine['id']}", {"first_name": "Mano"}).status_code == 200
    denied = patch(client, rep, f"/api/v1/prospects/{other.id}", {"first_name": "Svetimas"})
    assert denied.status_code == 403 and denied.json["error"]["code"] == "forbidden"
    assert rep.get(f"/api/v1/prospects/{other.id}").status_code == 200  # reading is fine
    manager = api("manager")
    assert patch(client, manager, f"/api/v1/prospects/{other.id}", {"first_name": "Ok"}).status_code == 200


def test_rep_cannot_give_prospects_to_someone_else(api, client, factory, session):
    rep = api("rep")
    colleague = factory.user("rep")
    session.commit()
    res = rep.post("/api/v1/prospects", json={"email": "x@example.com", "owner_id": colleague.id})
    assert res.status_code == 403


def test_unknown_field_is_422(api):
    res = api("manager").post("/api/v1/prospects", json={"email": "a@example.com", "timezon": "UTC"})
    assert res.status_code == 422 and res.json["error"]["details"][0]["field"] == "timezon"


def test_every_update_rechecks_held_steps(api, client, monkeypatch):
    from sequencer.outreach import holds

    calls = []
    monkeypatch.setattr(holds, "release_held", lambda session, prospect, now: calls.append(prospect.id) or 0)
    caller = api("manager")
    created = caller.post("/api/v1/prospects", json={"email": "held@example.com"}).json
    assert calls == []
    patch(client, caller, f"/api/v1/prospects/{created['id']}", {"first_name": "Now complete"})
    assert calls == [created["id"]]
