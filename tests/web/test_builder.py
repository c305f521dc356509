"""The sequence builder: form post -> services, inline errors, 409 on steps in use, fragments, preview."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from sequencer.models import Sequence, SequenceStatus
from sequencer.platform import clock
from sequencer.sequences.authoring import load_sequence

SCHEDULE = {"days": ["mon", "tue", "wed", "thu", "fri"], "window_start": "09:00", "window_end": "17:00",
            "holidays": "prospect", "fallback_timezone": "Europe/Vilnius"}


def form(name="Q1 CFO outbound", steps=(), **extra) -> dict:
    data = {"name": name, "description": "CFOs in the Baltics", "days": SCHEDULE["days"],
            "window_start": "09:00", "window_end": "17:00", "holidays": "prospect",
            "fallback_timezone": "Europe/Vilnius", "exit_on_reply": "1"}
    for i, step in enumerate(steps):
        for key, value in step.items():
            data[f"steps-{i}-{key}"] = value
    data.update(extra)
    return data


EMAIL = {"type": "auto_email", "wait_days": "0",
         "variants-0-label": "A", "variants-0-weight": "50",
         "variants-0-subject": "Month-end at {{ company.name }}", "variants-0-body": "Hi {{ prospect.first_name }},",
         "variants-0-persona-cfo-subject": "Close faster, {{ prospect.first_name }}",
         "variants-0-persona-cfo-body": "Dear CFO {{ prospect.last_name }}",
         "variants-1-label": "B", "variants-1-weight": "50",
         "variants-1-subject": "Quick question", "variants-1-body": "Hello {{ prospect.first_name }}"}
CALL = {"type": "call", "wait_days": "1", "instructions": "Call about the email"}
FOLLOWUP = {"type": "auto_email", "wait_days": "3", "thread": "1",
            "variants-0-label": "A", "variants-0-weight": "50", "variants-0-subject": "",
            "variants-0-body": "Following up, {{ prospect.first_name }}"}


@pytest.fixture
def manager(as_role, factory, session):
    factory.persona("cfo", name="Chief Financial Officer")
    session.commit()
    return as_role("manager")


def test_create_via_form_stores_steps_variants_and_personas(client, manager, session):
    response = client.post("/sequences/new", data=form(steps=[EMAIL, CALL, FOLLOWUP,
                                                             {"type": "linkedin_connect", "wait_days": "1"}]))
    assert response.status_code == 302, response.data[:2000]
    seq = session.query(Sequence).one()
    assert response.headers["Location"].endswith(f"/sequences/{seq.id}/edit")
    assert seq.status == SequenceStatus.DRAFT and seq.owner_id == manager.id
    assert seq.name == "Q1 CFO outbound" and seq.exit_on_reply and not seq.track_opens
    assert seq.schedule == SCHEDULE
    assert [(s.type.value, s.wait_days, s.thread) for s in seq.steps] == [
        ("auto_email", 0, False), ("call", 1, False), ("auto_email", 3, True), ("linkedin_connect", 1, False)]
    a, b = seq.steps[0].variants
    assert (a.label, a.weight, a.subject, b.label) == ("A", 50, "Month-end at {{ company.name }}", "B")
    assert a.by_persona == {"cfo": {"subject": "Close faster, {{ prospect.first_name }}",
                                    "body": "Dear CFO {{ prospect.last_name }}"}}
    assert seq.steps[1].instructions == "Call about the email" and seq.steps[1].variants == []
    page = client.get(f"/sequences/{seq.id}/edit").get_data(as_text=True)
    assert 'value="Close faster, {{ prospect.first_name }}"' in page


def test_empty_editor_renders_with_workspace_schedule(client, manager):
    page = client.get("/sequences/new").get_data(as_text=True)
    assert 'name="name"' in page and "No steps yet" in page
    assert 'value="mon" checked' in page and 'value="sat" ' in page and 'value="sat" checked' not in page
    assert "prospect.first_name" in page and "unsubscribe_url" in page  # the variables sidebar
    assert "<script>" not in page


def test_validation_error_is_shown_inline_with_step_variant_field_and_line(client, manager, session):
    broken = dict(EMAIL, **{"variants-1-body": "Hello\n\n{{ prospect.frist_name }}"})
    response = client.post("/sequences/new", data=form(steps=[broken, CALL]))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert session.query(Sequence).count() == 0
    # the message sits inside variant B's block, right after its body field, with the line
    body_field = page.split('id="steps-0-variants-1-body"', 1)[1].split("</div>", 1)[0]
    assert "line 3" in body_field and "frist_name" in body_field
    assert "Step 1 · variant B · body · line 3" in page
    assert "Hello\n\n{{ prospect.frist_name }}" in page  # the user's text is kept


def test_persona_override_error_is_placed_on_the_override(client, manager):
    broken = dict(EMAIL, **{"variants-0-persona-cfo-subject": "Hi {{ prospect.first_name"})
    page = client.post("/sequences/new", data=form(steps=[broken])).get_data(as_text=True)
    override = page.split('id="steps-0-variants-0-persona-cfo-subject"', 1)[1].split("</div>", 1)[0]
    assert "line 1" in override and "syntax error" in override


def test_missing_name_is_a_422_next_to_the_name(client, manager):
    response = client.post("/sequences/new", data=form(name="", steps=[CALL]))
    assert response.status_code == 422 and "give the sequence a name" in response.get_data(as_text=True)


def _reach(session, factory, seq, position):
    factory.step_run(factory.enrollment(sequence=seq), seq.steps[position - 1])
    session.commit()


def test_deleting_a_step_in_use_is_refused_keeping_the_edits(client, manager, session, factory):
    seq = factory.sequence(steps=2, name="Running")
    _reach(session, factory, seq, 2)
    page = client.get(f"/sequences/{seq.id}/edit").get_data(as_text=True)
    assert "in use — read-only" in page
    step2 = page.split('id="step-2"', 1)[1]
    assert 'name="steps-1-type"' in step2 and 'type="hidden" name="steps-1-type"' in step2  # hidden copy
    assert re.search(r'<select class="b-type" disabled', step2)
    assert "Delete step 2" not in page  # the delete button is replaced by the reason
    # a stale or crafted form without step 2
    response = client.post(f"/sequences/{seq.id}/edit", data=form(
        name="Renamed by me", steps=[{"type": "auto_email", "orig": "1", "wait_days": "0",
                                      "variants-0-label": "A", "variants-0-weight": "50",
                                      "variants-0-subject": "Edited subject", "variants-0-body": "Edited"}]))
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "step 2 is in use by enrolments and can&#39;t be deleted" in text
    assert 'value="Renamed by me"' in text and 'value="Edited subject"' in text
    session.expire_all()
    assert load_sequence(session, seq.id).name == "Running"


def test_a_step_in_use_keeps_its_content_and_new_steps_can_follow(client, manager, session, factory):
    seq = factory.sequence(steps=2, name="Running")
    _reach(session, factory, seq, 1)
    tampered = {"type": "auto_email", "orig": "1", "wait_days": "9", "variants-0-label": "A",
                "variants-0-weight": "50", "variants-0-subject": "tampered", "variants-0-body": "x"}
    response = client.post(f"/sequences/{seq.id}/edit", data=form(
        name="Running", steps=[tampered, {"type": "call", "orig": "2", "wait_days": "4"}, dict(CALL)]))
    assert response.status_code == 302, response.data[:3000]
    session.expire_all()
    stored = load_sequence(session, seq.id)
    assert stored.steps[0].variants[0].subject == "Hi {{ prospect.first_name }}"
    assert [(s.type.value, s.wait_days) for s in stored.steps] == [("auto_email", 0), ("call", 4), ("call", 1)]


@pytest.mark.parametrize("url", ["/sequences/new", "/sequences/{id}/edit", "/sequences/{id}/edit/steps",
                                 "/sequences/new/steps", "/sequences/new/preview", "/sequences/{id}/status",
                                 "/sequences/builder/prospects"])
def test_rep_gets_403_on_every_builder_route(client, as_role, factory, session, url):
    seq = factory.sequence(steps=1)
    session.commit()
    as_role("rep")
    url = url.format(id=seq.id)
    assert client.get(url).status_code in (403, 405)
    assert client.post(url, data=form(steps=[CALL], action="activate")).status_code in (403, 405)
    if url.endswith(("/new", "/edit", "/prospects")):
        assert client.get(url).status_code == 403


def test_fragment_add_step_defaults(client, manager):
    html = client.post("/sequences/new/steps", data=form(steps=[EMAIL], action="add:auto_email")).get_data(as_text=True)
    assert html.startswith('<div id="steps"') or 'id="steps"' in html[:2000]
    assert "<html" not in html
    assert 'name="steps-1-thread" checked' in html and 'name="steps-1-wait_days" value="3"' in html
    assert 'data-focus="steps-1-wait_days"' in html
    html = client.post("/sequences/new/steps", data=form(steps=[EMAIL], action="add:call")).get_data(as_text=True)
    assert 'name="steps-1-wait_days" value="2"' in html and "Call and refer to the last email" in html
    html = client.post("/sequences/new/steps", data=form(action="add:auto_email")).get_data(as_text=True)
    assert 'name="steps-0-wait_days" value="0"' in html and 'name="steps-0-thread"' not in html


def test_fragment_move_delete_and_variants(client, manager):
    data = form(steps=[EMAIL, CALL], action="down:0")
    html = client.post("/sequences/new/steps", data=data).get_data(as_text=True)
    assert html.index("Call about the email") < html.index("Quick question")
    html = client.post("/sequences/new/steps", data=form(steps=[EMAIL, CALL], action="delete:0")).get_data(as_text=True)
    assert "Quick question" not in html and "Call about the email" in html and 'name="steps-0-type"' in html
    html = client.post("/sequences/new/steps", data=form(steps=[EMAIL, CALL], action="add_variant:0")).get_data(as_text=True)
    assert 'name="steps-0-variants-2-label" value="C"' in html
    assert 'value="Close faster, {{ prospect.first_name }}"' in html  # nothing typed is lost
    html = client.post("/sequences/new/steps", data=form(steps=[EMAIL], action="remove_variant:0:1")).get_data(as_text=True)
    assert "Quick question" not in html


def test_fragment_persona_override_and_library(client, manager, factory, session):
    factory.persona("cto", name="CTO")
    session.commit()
    data = form(steps=[EMAIL], action="add_persona:0:1", **{"steps-0-variants-1-new_persona": "cto"})
    html = client.post("/sequences/new/steps", data=data).get_data(as_text=True)
    assert 'name="steps-0-variants-1-persona-cto-subject"' in html
    data = form(steps=[EMAIL], action="library:0:0:cfo", **{"steps-0-variants-0-persona-cfo-library": "cfo/intro"})
    html = client.post("/sequences/new/steps", data=data).get_data(as_text=True)
    assert "Month-end close at {{ company.name }}" in html
    data = form(steps=[EMAIL], action="library:0:0", **{"steps-0-variants-0-library": "../../etc/passwd"})
    assert client.post("/sequences/new/steps", data=data).status_code == 200


def test_preview_renders_persona_subject_and_holiday_schedule(client, manager, factory, session):
    cfo = factory.persona("cfo2", name="Finance")
    company = factory.company(name="Žalgiris UAB", country="LT")
    from sequencer.models import Persona
    persona = session.query(Persona).filter_by(key="cfo").one()
    prospect = factory.prospect(first_name="Rūta", last_name="Kazlauskienė", country="LT",
                                timezone="Europe/Vilnius", company=company, persona=persona)
    session.commit()
    assert cfo.id
    with clock.frozen(datetime(2025, 12, 24, 8, 0, tzinfo=UTC)):  # Christmas Eve, a holiday in LT
        response = client.post("/sequences/new/preview", data=form(
            name="", steps=[EMAIL, CALL, FOLLOWUP], preview_prospect=str(prospect.id), preview_step="1",
            preview_variant="A"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:2000]
    assert "Close faster, Rūta" in html  # the CFO override of variant A
    assert "<iframe" in html and "sandbox" in html and "srcdoc=\"" in html
    assert "Dear CFO Kazlauskienė" in html  # escaped into srcdoc, not raw
    assert "<p>Dear CFO" not in html
    assert "pv-schedule" in html and html.count("<tr class=") >= 3
    schedule = html.split("pv-schedule", 1)[1]
    assert "Mon 29 Dec, 09:00" in schedule  # step 1 waits out 24–26 Dec and the weekend
    assert "holiday: Christmas Eve (LT)" in schedule
    assert "Tue 30 Dec, 09:00" in schedule  # the call, one business day later
    assert "Europe/Vilnius" in schedule


def test_preview_shows_problems_of_the_unsaved_editor(client, manager, factory, session):
    prospect = factory.prospect(country="LT")
    session.commit()
    broken = dict(EMAIL, **{"variants-0-subject": "{{ nope }}"})
    html = client.post("/sequences/new/preview", data=form(steps=[broken], preview_prospect=str(prospect.id))
                       ).get_data(as_text=True)
    assert "Fix these to preview" in html and "nope" in html


def test_preview_that_cannot_render_answers_422_with_the_reason(client, manager, factory, session):
    prospect = factory.prospect(country="LT", fields={"notes": "x" * 250_000})
    session.commit()
    long_field = dict(EMAIL, **{"variants-0-body": "Hi {{ prospect.fields.notes }}"})
    response = client.post("/sequences/new/preview", data=form(steps=[long_field], preview_prospect=str(prospect.id),
                                                               preview_variant="A"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Fix these to preview" in html and "cannot be rendered for this prospect" in html
    runaway = dict(EMAIL, **{"variants-0-body": "{% set a = 'a' * 100000 %}{{ [a] * 5000 }}"})
    response = client.post("/sequences/new/preview", data=form(steps=[runaway], preview_prospect=str(prospect.id)))
    assert "cannot be rendered" in response.get_data(as_text=True)  # refused by the save-time check


def test_status_buttons(client, manager, factory, session):
    empty = factory.sequence(steps=0, name="Empty")
    seq = factory.sequence(steps=1, name="Ready")
    session.commit()
    response = client.post(f"/sequences/{empty.id}/status", data={"action": "activate"}, follow_redirects=True)
    assert "A sequence needs at least one step" in response.get_data(as_text=True)
    response = client.post(f"/sequences/{seq.id}/status", data={"action": "activate", "back": "edit"})
    assert response.headers["Location"].endswith(f"/sequences/{seq.id}/edit")
    session.expire_all()
    assert session.get(Sequence, seq.id).status == SequenceStatus.ACTIVE
    page = client.get(f"/sequences/{seq.id}").get_data(as_text=True)
    assert 'value="pause"' in page and f"/sequences/{seq.id}/edit" in page
