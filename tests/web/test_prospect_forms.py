"""The prospect create/edit form (inline field errors, duplicates, rep ownership) and the personas page."""
from __future__ import annotations

import re

import pytest

from sequencer.models import Persona, Prospect, ProspectStatus
from tests.conftest import csrf_token_from

FORM = {"email": "  Jurgita.Vaitkute@Example.LT ", "first_name": "Jurgita", "last_name": "Vaitkutė",
        "title": "Finansų direktorius", "company": "Baltic Freight", "company_domain": "balticfreight.lt",
        "persona": "", "phone": "8 612 34567", "linkedin_url": "https://www.linkedin.com/in/jurgita",
        "country": "LT", "timezone": "Europe/Vilnius", "city": "Vilnius", "language": "lt",
        "status": "active", "fields": '{"crm_id": "A-1"}'}


def _error_for(html: str, field: str) -> str:
    match = re.search(rf'<div class="form-error" id="err-{field}">([^<]*)</div>', html)
    assert match, f"no inline error for {field}"
    return match.group(1)


def test_create_form_saves_normalised_prospect(client, as_role, factory, session):
    manager = as_role("manager")
    cfo = factory.persona("cfo", name="CFO", title_keywords=["Finansų direktor"])
    session.commit()
    page = client.get("/prospects/new")
    assert page.status_code == 200 and b'name="email"' in page.data and b"Suggest from the title" in page.data
    res = client.post("/prospects/new", data={**FORM, "owner_id": str(manager.id)})
    assert res.status_code == 302
    prospect = session.query(Prospect).one()
    assert res.headers["Location"].endswith(f"/prospects/{prospect.id}")
    assert prospect.email == "jurgita.vaitkute@example.lt" and prospect.phone == "+37061234567"
    assert prospect.persona_id == cfo.id and prospect.owner_id == manager.id
    assert prospect.company.domain == "balticfreight.lt" and prospect.fields == {"crm_id": "A-1"}
    detail = client.get(res.headers["Location"]).get_data(as_text=True)
    assert "Jurgita Vaitkutė created." in detail and "Finansų direktorius" in detail


def test_invalid_fields_are_marked_inline_and_values_kept(client, as_role, session):
    as_role("manager")
    res = client.post("/prospects/new", data={**FORM, "timezone": "Mars/Base", "phone": "call me",
                                              "fields": "{not json", "linkedin_url": "javascript:alert(1)"})
    assert res.status_code == 422
    html = res.get_data(as_text=True)
    assert "Mars/Base" in _error_for(html, "timezone")
    assert "is not a phone number" in _error_for(html, "phone")
    assert "not valid JSON" in _error_for(html, "fields")
    assert "http(s)" in _error_for(html, "linkedin_url")
    assert 'value="Jurgita"' in html and 'value="Mars/Base"' in html  # what they typed stays
    assert 'aria-invalid="true" aria-describedby="err-timezone"' in html
    assert session.query(Prospect).count() == 0


def test_bad_email_and_unknown_persona_marked(client, as_role, session):
    as_role("manager")
    res = client.post("/prospects/new", data={**FORM, "email": "nobody@", "persona": "ceo"})
    html = res.get_data(as_text=True)
    assert res.status_code == 422
    assert _error_for(html, "email") and "no persona with key 'ceo'" in _error_for(html, "persona").replace("&#39;", "'")


def test_duplicate_email_links_to_the_existing_prospect(client, as_role, factory, session):
    as_role("rep")
    existing = factory.prospect(email="jurgita.vaitkute@example.lt")
    session.commit()
    res = client.post("/prospects/new", data=FORM)
    assert res.status_code == 409
    html = res.get_data(as_text=True)
    assert _error_for(html, "email") == "Another prospect already has this email."
    assert f'href="/prospects/{existing.id}"' in html


def test_edit_form_prefills_and_saves(client, as_role, factory, session):
    as_role("manager")
    company = factory.company(name="Acme", domain=None)
    prospect = factory.prospect(first_name="Old", company=company, timezone="Europe/Vilnius", country="LT",
                                fields={"seats": 3})
    session.commit()
    html = client.get(f"/prospects/{prospect.id}/edit").get_data(as_text=True)
    assert 'value="Old"' in html and 'value="Europe/Vilnius"' in html and '<option value="LT" selected>' in html
    assert "&#34;seats&#34;: 3" in html
    form = {"email": prospect.email, "first_name": "New", "last_name": "Name", "company": "Acme",
            "company_domain": "", "timezone": "Europe/Riga", "country": "LV", "status": "do_not_contact",
            "phone": "2 612 3456", "fields": '{"seats": 4}', "owner_id": ""}
    res = client.post(f"/prospects/{prospect.id}/edit", data=form)
    assert res.status_code == 302
    session.expire_all()
    saved = session.get(Prospect, prospect.id)
    assert (saved.first_name, saved.timezone, saved.country) == ("New", "Europe/Riga", "LV")
    assert saved.status == ProspectStatus.DO_NOT_CONTACT and saved.fields == {"seats": 4}
    assert saved.phone == "+37126123456" and saved.company_id == company.id and saved.owner_id is None


def test_rep_edits_only_own_prospects(client, as_role, factory, session):
    rep = as_role("rep")
    mine = factory.prospect(owner_id=rep.id, first_name="Mine")
    theirs = factory.prospect(owner_id=factory.user("rep").id)
    session.commit()
    assert client.get(f"/prospects/{theirs.id}/edit").status_code == 403
    assert client.post(f"/prospects/{theirs.id}/edit", data={"email": theirs.email}).status_code == 403
    detail = client.get(f"/prospects/{theirs.id}").get_data(as_text=True)
    assert f"/prospects/{theirs.id}/edit" not in detail  # no Edit button either
    res = client.post(f"/prospects/{mine.id}/edit", data={"email": mine.email, "first_name": "Still mine",
                                                         "status": "active"})
    assert res.status_code == 302
    session.expire_all()
    assert session.get(Prospect, mine.id).owner_id == rep.id  # a rep's form carries no owner


def test_user_text_is_escaped(client, as_role, factory, session):
    as_role("manager")
    prospect = factory.prospect(first_name="<script>alert(1)</script>", title="<b>CEO</b>")
    session.commit()
    html = client.get(f"/prospects/{prospect.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>CEO</b>" not in client.get("/prospects").get_data(as_text=True)


# ---- personas ------------------------------------------------------------------------------------

def test_manager_creates_edits_and_deletes_personas(client, as_role, session):
    as_role("manager")
    res = client.post("/personas", data={"key": "cfo", "name": "CFO", "description": "Owns the budget",
                                         "title_keywords": "CFO, Finansų direktorius , cfo,"})
    assert res.status_code == 302
    persona = session.query(Persona).one()
    assert persona.title_keywords == ["CFO", "Finansų direktorius"]
    html = client.get("/personas").get_data(as_text=True)
    assert "Owns the budget" in html and '<span class="kw">Finansų direktorius</span>' in html
    edit = client.get(f"/personas/{persona.id}/edit").get_data(as_text=True)
    assert 'value="CFO, Finansų direktorius"' in edit
    res = client.post(f"/personas/{persona.id}/edit", data={"key": "finance", "name": "Finance lead",
                                                            "title_keywords": "CFO"})
    assert res.status_code == 302
    session.expire_all()
    assert (persona.key, persona.name, persona.title_keywords) == ("finance", "Finance lead", ["CFO"])
    assert client.post(f"/personas/{persona.id}/delete").status_code == 302
    assert session.query(Persona).count() == 0


def test_persona_form_errors_inline(client, as_role, factory, session):
    as_role("admin")
    factory.persona("cfo")
    session.commit()
    res = client.post("/personas", data={"key": "Head of Sales", "name": ""})
    html = res.get_data(as_text=True)
    assert res.status_code == 422 and "lower-case letters" in html and 'value="Head of Sales"' in html
    taken = client.post("/personas", data={"key": "cfo", "name": "Another"})
    assert taken.status_code == 422 and "The key &#39;cfo&#39; is taken." in taken.get_data(as_text=True)


def test_deleting_a_persona_in_use_shows_why(client, as_role, factory, session):
    as_role("manager")
    persona = factory.persona("cfo", name="CFO")
    factory.prospect(persona=persona)
    seq = factory.sequence(steps=1, name="Q1 CFO outbound")
    seq.steps[0].variants[0].by_persona = {"cfo": {"subject": "For finance"}}
    session.commit()
    res = client.post(f"/personas/{persona.id}/delete", follow_redirects=True)
    html = res.get_data(as_text=True)
    assert "Not deleted: CFO is still used by 1 prospect and persona copy in Q1 CFO outbound" in html
    assert session.get(Persona, persona.id) is not None


def test_reps_read_personas_but_cannot_change_them(client, as_role, factory, session):
    as_role("rep")
    persona = factory.persona("cfo", name="CFO")
    session.commit()
    html = client.get("/personas").get_data(as_text=True)
    assert "CFO" in html and "New persona" not in html and "/delete" not in html
    assert client.post("/personas", data={"key": "x", "name": "X"}).status_code == 403
    assert client.get(f"/personas/{persona.id}/edit").status_code == 403
    assert client.post(f"/personas/{persona.id}/delete").status_code == 403
    assert 'href="/personas"' not in client.get("/prospects").get_data(as_text=True)  # nav link for managers only


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_forms_need_the_token(self, client, factory, session):
        manager = factory.user("manager")
        session.commit()
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"email": manager.email, "password": "correct horse battery", "csrf_token": token})
        assert client.post("/prospects/new", data=FORM).status_code == 400
        assert client.post("/personas", data={"key": "x", "name": "X"}).status_code == 400
        token = csrf_token_from(client.get("/prospects/new").get_data(as_text=True))
        assert client.post("/prospects/new", data={**FORM, "csrf_token": token}).status_code == 302
