import pytest

from sequencer.models import StepRun
from tests.api.sequence_payloads import four_step_ab


@pytest.fixture
def personas(factory, session):
    factory.persona("cfo", name="CFO / finance lead")
    factory.persona("cto", name="CTO / IT security")
    session.commit()


def test_manager_builds_a_four_step_two_persona_ab_sequence(api, personas):
    res = api("manager").post("/api/v1/sequences", json=four_step_ab())
    assert res.status_code == 201, res.json
    seq = res.json
    assert seq["status"] == "draft"
    assert [s["position"] for s in seq["steps"]] == [1, 2, 3, 4]
    assert [s["type"] for s in seq["steps"]] == ["auto_email", "call", "auto_email", "linkedin_connect"]
    first = seq["steps"][0]
    assert [v["label"] for v in first["variants"]] == ["A", "B"] and all(v["id"] for v in first["variants"])
    assert first["variants"][0]["by_persona"]["cfo"]["subject"] == "Month-end close at {{ company.name }}"
    assert seq["steps"][2]["thread"] is True
    again = api("rep").get(f"/api/v1/sequences/{seq['id']}")
    assert again.status_code == 200 and again.json["steps"] == seq["steps"]


def test_syntax_error_is_refused_with_step_variant_field_and_line(api, personas):
    payload = four_step_ab()
    payload["steps"][0]["variants"][1]["body"] = "Hello\nthere\n{{ prospect.first_name "
    res = api("manager").post("/api/v1/sequences", json=payload)
    assert res.status_code == 422
    (detail,) = res.json["error"]["details"]
    assert detail["step"] == 1 and detail["variant"] == "B" and detail["field"] == "body"
    assert detail["line"] == 3


def test_unknown_variable_is_refused_with_its_line(api, personas):
    payload = four_step_ab()
    payload["steps"][2]["variants"][0]["body"] = "Hi\n{{ prospect.frist_name }}"
    res = api("manager").post("/api/v1/sequences", json=payload)
    assert res.status_code == 422
    detail = res.json["error"]["details"][0]
    assert (detail["step"], detail["variant"], detail["field"], detail["line"]) == (3, "A", "body", 2)
    assert "frist_name" in detail["message"]


def test_persona_override_is_validated_too(api, personas):
    payload = four_step_ab()
    payload["steps"][0]["variants"][0]["by_persona"]["cfo"]["subject"] = "{{ config }}"
    res = api("manager").post("/api/v1/sequences", json=payload)
    assert res.status_code == 422
    detail = res.json["error"]["details"][0]
    assert detail["persona"] == "cfo" and detail["field"] == "subject"


@pytest.mark.parametrize("template", ["{{ ''.__class__.__mro__ }}", "{{ cycler.__init__.__globals__ }}",
                                      "{{ lipsum.__globals__ }}", "{% include '/etc/passwd' %}"])
def test_hostile_templates_are_refused_at_save(api, personas, template):
    payload = four_step_ab()
    payload["steps"][0]["variants"][0]["body"] = template
    assert api("manager").post("/api/v1/sequences", json=payload).status_code == 422


def test_shape_errors(api, personas):
    caller = api("manager")
    payload = four_step_ab()
    payload["steps"][1]["type"] = "fax"
    res = caller.post("/api/v1/sequences", json=payload)
    assert res.status_code == 422 and res.json["error"]["details"][0]["field"] == "steps.1.type"
    payload = four_step_ab()
    payload["steps"][0]["variants"][0]["by_persona"] = {"ceo": {"subject": "x"}}
    res = caller.post("/api/v1/sequences", json=payload)
    assert res.status_code == 422 and "unknown persona" in res.json["error"]["message"]
    payload = four_step_ab()
    payload["schedule"]["fallback_timezone"] = "Europe/Atlantis"
    res = caller.post("/api/v1/sequences", json=payload)
    assert res.status_code == 422 and res.json["error"]["details"][0]["field"] == "schedule.fallback_timezone"
    payload = four_step_ab()
    payload["steps"][0]["thread"] = True
    res = caller.post("/api/v1/sequences", json=payload)
    assert res.status_code == 422 and res.json["error"]["details"][0]["field"] == "thread"


def test_reps_cannot_build_sequences(api, personas):
    assert api("rep").post("/api/v1/sequences", json=four_step_ab()).status_code == 403


def test_status_changes(api, personas):
    caller = api("manager")
    seq = caller.post("/api/v1/sequences", json=four_step_ab()).json
    assert caller.post(f"/api/v1/sequences/{seq['id']}/activate").json["status"] == "active"
    assert caller.post(f"/api/v1/sequences/{seq['id']}/pause").json["status"] == "paused"
    assert caller.post(f"/api/v1/sequences/{seq['id']}/archive").json["status"] == "archived"
    res = caller.post(f"/api/v1/sequences/{seq['id']}/activate")
    assert res.status_code == 409
    empty = caller.post("/api/v1/sequences", json={"name": "Empty"}).json
    assert caller.post(f"/api/v1/sequences/{empty['id']}/activate").status_code == 409


def test_put_replaces_only_unreached_steps(api, personas, factory, session):
    caller = api("manager")
    seq = caller.post("/api/v1/sequences", json=four_step_ab()).json
    caller.post(f"/api/v1/sequences/{seq['id']}/activate")
    prospect = factory.prospect()
    factory.mailbox(owner_id=caller.user.id)
    session.commit()
    enrolled = caller.post(f"/api/v1/sequences/{seq['id']}/enrollments", json={"prospect_ids": [prospect.id]})
    assert enrolled.status_code == 201, enrolled.json

    payload = four_step_ab()
    payload["steps"][1]["instructions"] = "New call script"
    payload["steps"].append({"type": "task", "wait_days": 1, "instructions": "Break-up note"})
    res = caller.client_put(f"/api/v1/sequences/{seq['id']}", payload)
    assert res.status_code == 200, res.json
    assert res.json["steps"][0]["id"] == seq["steps"][0]["id"] and res.json["steps"][0]["in_use"] is True
    assert res.json["steps"][1]["instructions"] == "New call script"
    assert [s["type"] for s in res.json["steps"]][-1] == "task"

    payload["steps"][0]["variants"][0]["subject"] = "Changed"
    res = caller.client_put(f"/api/v1/sequences/{seq['id']}", payload)
    assert res.status_code == 409
    assert res.json["error"]["details"][0]["step"] == 1
    assert "in use" in res.json["error"]["message"]

    res = caller.client_put(f"/api/v1/sequences/{seq['id']}", {**payload, "steps": []})
    assert res.status_code == 409 and "can't be deleted" in res.json["error"]["message"]
    assert session.query(StepRun).count() == 1


def test_preview_renders_the_persona_copy_and_the_schedule(api, personas, factory, session):
    from sequencer.models import Persona

    caller = api("manager")
    seq = caller.post("/api/v1/sequences", json=four_step_ab()).json
    cfo = session.query(Persona).filter_by(key="cfo").one()
    company = factory.company(name="Baltijos Logistika")
    prospect = factory.prospect(first_name="Šarūnas", last_name="Žukauskas", persona=cfo, company=company,
                                timezone="Europe/Vilnius", country="LT")
    session.commit()
    res = caller.get(f"/api/v1/sequences/{seq['id']}/steps/1/preview?prospect_id={prospect.id}&variant=A")
    assert res.status_code == 200, res.json
    assert res.json["subject"] == "Month-end close at Baltijos Logistika"
    assert "Šarūnas" in res.json["body_html"] and "Šarūnas" in res.json["body_text"]
    assert res.json["missing"] == []
    assert res.json["scheduled_for"].endswith("Z")
    third = caller.get(f"/api/v1/sequences/{seq['id']}/steps/3/preview?prospect_id={prospect.id}").json
    assert third["subject"] == "Re: Month-end close at Baltijos Logistika"
    assert third["scheduled_for"] > res.json["scheduled_for"]


def test_preview_lists_missing_variables(api, personas, factory, session):
    caller = api("manager")
    seq = caller.post("/api/v1/sequences", json=four_step_ab()).json
    prospect = factory.prospect(first_name="", company=factory.company())
    session.commit()
    res = caller.get(f"/api/v1/sequences/{seq['id']}/steps/1/preview?prospect_id={prospect.id}&variant=A").json
    assert "prospect.first_name" in res["missing"]
    res = caller.get(f"/api/v1/sequences/{seq['id']}/steps/1/preview?prospect_id={prospect.id}&variant=B").json
    assert "prospect.first_name" not in res["missing"]  # B falls back with default('there')
