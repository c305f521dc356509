"""Which language a page speaks: the profile's choice, else the browser's, else the workspace's; the API stays English."""
from __future__ import annotations

import json
import re

from sequencer.models import Workspace
from tests.conftest import login


def _lt_user(factory, **kw):
    return factory.user("rep", locale="lt", **kw)


def test_a_user_who_chose_lithuanian_sees_lithuanian(client, factory):
    user = _lt_user(factory)
    login(client, user.email)
    html = client.get("/profile").get_data(as_text=True)
    assert '<html lang="lt">' in html
    assert "Profilis" in html and "Laiko juosta" in html
    assert ">Profile<" not in html


def test_without_a_choice_the_browser_decides_then_the_workspace(client, factory, session):
    user = factory.user("rep")
    login(client, user.email)
    assert "Profilis" in client.get("/profile", headers={"Accept-Language": "lt-LT,lt;q=0.9,en;q=0.5"}).text
    assert ">Profile<" in client.get("/profile", headers={"Accept-Language": "de-DE,en;q=0.8"}).text
    session.add(Workspace(default_locale="lt"))
    session.commit()
    assert "Profilis" in client.get("/profile").text  # no Accept-Language at all: the workspace default
    assert ">Profile<" in client.get("/profile", headers={"Accept-Language": "en"}).text


def test_switching_language_in_the_profile_changes_every_page(client, factory, session):
    user = factory.user("rep", timezone="Europe/Vilnius")
    login(client, user.email)
    response = client.post("/profile", data={"name": user.name, "locale": "lt", "timezone": "Europe/Vilnius"},
                           follow_redirects=True)
    assert "Jūsų profilis išsaugotas." in response.text  # the confirmation already in the new language
    session.refresh(user)
    assert user.locale == "lt"
    client.post("/profile", data={"name": user.name, "locale": "", "timezone": "Europe/Vilnius"})
    session.refresh(user)
    assert user.locale is None


def test_profile_refusals_come_back_together_in_the_readers_language(client, factory, session):
    user = _lt_user(factory, timezone="Europe/Vilnius")
    login(client, user.email)
    response = client.post("/profile", data={"name": "", "locale": "xx", "timezone": "Mars/Olympus"})
    assert response.status_code == 422
    text = response.text
    assert "Pataisykite 3 dalykus žemiau" in text  # "few" form for 3
    assert "Įveskite vardą" in text and "Pasirinkite kalbą iš sąrašo." in text and "Pasirinkite laiko juostą" in text
    session.refresh(user)
    assert user.locale == "lt" and user.name  # nothing was changed


def test_the_api_speaks_english_whatever_the_user_chose(client, factory):
    user = _lt_user(factory)
    token = factory.token(user)
    response = client.get("/api/v1/prospects/999999", headers={"Authorization": f"Bearer {token}",
                                                                "Accept-Language": "lt"})
    assert response.status_code == 404
    body = json.dumps(response.get_json())
    assert not re.search(r"[ąčęėįšųūž]", body)


def test_pages_carry_the_scripts_catalogue_as_data(client, factory):
    login(client, _lt_user(factory).email)
    html = client.get("/profile").text
    match = re.search(r'<script type="application/json" id="i18n-catalog">(.*?)</script>', html, re.S)
    assert match, "the catalogue is missing"
    catalog = json.loads(match.group(1))
    assert catalog["locale"] == "lt" and isinstance(catalog["messages"], dict)


def test_templates_translate_in_the_locale_in_force_even_under_force_locale(app):
    """The templates' own gettext (issue 22: a per-locale catalogue instead of Flask-Babel's per-string lookup)
    follows the request's language, a `force_locale` inside it, and the request's again afterwards."""
    from flask import render_template_string
    from flask_babel import force_locale

    page = "{{ _('Complete') }}|{{ ngettext('%(num)d selected', '%(num)d selected', n) }}|{{ _('Select %(title)s', title=t) }}"
    with app.test_request_context("/tasks", headers={"Accept-Language": "lt"}):
        app.preprocess_request()  # each request chooses its language again (web.locale's before_request)
        assert render_template_string(page, n=5, t="<b>") == "Atlikti|5 pažymėtos|" + \
            render_template_string("{{ _('Select %(title)s', title='<b>') }}")
        assert "&lt;b&gt;" in render_template_string(page, n=1, t="<b>")  # values are escaped
        assert render_template_string(page, n=1, t="x").startswith("Atlikti|1 pažymėta|")
        assert render_template_string(page, n=10, t="x").startswith("Atlikti|10 pažymėtų|")
        with force_locale("en"):
            assert render_template_string(page, n=2, t="x") == "Complete|2 selected|Select x"
        assert render_template_string(page, n=2, t="x").startswith("Atlikti|2 pažymėtos|")
    with app.test_request_context("/tasks", headers={"Accept-Language": "en"}):
        app.preprocess_request()
        assert render_template_string(page, n=1, t="x") == "Complete|1 selected|Select x"
