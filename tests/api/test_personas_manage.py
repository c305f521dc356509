"""PUT/PATCH/DELETE /api/v1/personas/{id}: managers edit; a persona in use cannot be deleted."""
from __future__ import annotations

from sequencer.models import Persona, Variant


def test_put_and_patch_update_a_persona(api, client, factory, session):
    persona = factory.persona("cfo", name="CFO", title_keywords=["CFO"])
    session.commit()
    caller = api("manager")
    res = client.put(f"/api/v1/personas/{persona.id}", headers=caller.headers,
                     json={"key": "finance", "name": "Finance lead", "description": "Owns spend",
                           "title_keywords": [" CFO ", "cfo", "Finansų direktorius", ""]})
    assert res.status_code == 200, res.json
    assert res.json == {"id": persona.id, "key": "finance", "name": "Finance lead", "description": "Owns spend",
                        "title_keywords": ["CFO", "Finansų direktorius"]}
    res = client.patch(f"/api/v1/personas/{persona.id}", headers=caller.headers, json={"name": "Finance"})
    assert res.status_code == 200 and res.json["name"] == "Finance" and res.json["key"] == "finance"
    bad = client.patch(f"/api/v1/personas/{persona.id}", headers=caller.headers, json={"key": "Bad Key"})
    assert bad.status_code == 422 and bad.json["error"]["details"][0]["field"] == "key"


def test_put_requires_key_and_name(api, client, factory, session):
    persona = factory.persona("cfo")
    session.commit()
    res = client.put(f"/api/v1/personas/{persona.id}", headers=api("admin").headers, json={"name": "X"})
    assert res.status_code == 422 and res.json["error"]["details"][0]["field"] == "key"


def test_renaming_to_a_taken_key_is_409(api, client, factory, session):
    factory.persona("cfo")
    cto = factory.persona("cto")
    taken = factory.persona("ceo")
    session.commit()
    res = client.patch(f"/api/v1/personas/{cto.id}", headers=api("manager").headers, json={"key": "ceo"})
    assert res.status_code == 409 and res.json["error"]["existing_id"] == taken.id


def test_key_rename_carries_sequence_overrides(api, client, factory, session):
    persona = factory.persona("cfo")
    seq = factory.sequence(steps=1)
    variant = seq.steps[0].variants[0]
    variant.by_persona = {"cfo": {"subject": "For finance"}}
    session.commit()
    client.patch(f"/api/v1/personas/{persona.id}", headers=api("manager").headers, json={"key": "finance"})
    session.expire_all()
    assert session.get(Variant, variant.id).by_persona == {"finance": {"subject": "For finance"}}


def test_delete_unused_persona(api, client, factory, session):
    persona = factory.persona("cfo")
    session.commit()
    res = client.delete(f"/api/v1/personas/{persona.id}", headers=api("manager").headers)
    assert res.status_code == 204
    session.expire_all()
    assert session.get(Persona, persona.id) is None
    again = client.delete(f"/api/v1/personas/{persona.id}", headers=api("manager").headers)
    assert again.status_code == 404


def test_delete_persona_used_by_prospects_is_409(api, client, factory, session):
    persona = factory.persona("cfo", name="CFO")
    factory.prospect(persona=persona)
    factory.prospect(persona=persona)
    session.commit()
    res = client.delete(f"/api/v1/personas/{persona.id}", headers=api("manager").headers)
    assert res.status_code == 409
    error = res.json["error"]
    assert error["code"] == "conflict" and error["prospects"] == 2 and error["sequences"] == []
    assert "2 prospects" in error["message"]
    assert session.get(Persona, persona.id) is not None


def test_delete_persona_used_by_sequence_override_is_409(api, client, factory, session):
    persona = factory.persona("cto", name="CTO")
    seq = factory.sequence(steps=1, name="Q1 CTO outbound")
    seq.steps[0].variants[0].by_persona = {"cto": {"body": "Hi tech"}}
    session.commit()
    res = client.delete(f"/api/v1/personas/{persona.id}", headers=api("admin").headers)
    assert res.status_code == 409
    assert res.json["error"]["sequences"] == [{"id": seq.id, "name": "Q1 CTO outbound"}]
    assert "Q1 CTO outbound" in res.json["error"]["message"]


def test_reps_cannot_edit_or_delete(api, client, factory, session):
    persona = factory.persona("cfo")
    session.commit()
    rep = api("rep")
    assert client.patch(f"/api/v1/personas/{persona.id}", headers=rep.headers, json={"name": "X"}).status_code == 403
    assert client.delete(f"/api/v1/personas/{persona.id}", headers=rep.headers).status_code == 403
