"""Area a in Lithuanian: the shell, sign-in, error pages, home, search, Settings (users, workspace, tokens, queues).

Every page is opened by a Lithuanian reader, with Lithuanian data, in its empty, populated and refused states,
and must show no English UI word; the language settings (workspace default, a user's own) save and are checked.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rq import SimpleWorker

from sequencer.models import TaskStatus, User, Workspace
from sequencer.ops.rq_info import record_cron_tick
from sequencer.platform import clock, queues
from sequencer.platform.i18n import ngettext_in
from tests.conftest import login
from tests.i18n.support import english_words_in

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)  # a Wednesday


def lithuanian(html: str) -> None:
    found = english_words_in(html)
    assert found == [], found


@pytest.fixture
def lt_user(client, factory, session):
    """`lt_user("admin")`: a Lithuanian user of that role with Lithuanian name and address, signed in."""

    def _make(role: str, name: str = "Rūta Žemaitė", email: str = "ruta@imone.lt", **kw) -> User:
        user = factory.user(role, locale="lt", name=name, email=email, **kw)
        session.commit()
        assert login(client, user.email).status_code == 302
        return user

    return _make


def test_the_login_page_and_a_failed_sign_in_speak_the_browsers_language(client, factory, session):
    page = client.get("/login", headers={"Accept-Language": "lt"})
    html = page.get_data(as_text=True)
    lithuanian(html)
    assert 'lang="lt"' in html and "Prisijungti" in html and "Likti prisijungus" in html
    factory.user("rep", email="jonas@imone.lt", name="Jonas Jonaitis")
    session.commit()
    refused = client.post("/login", data={"email": "jonas@imone.lt", "password": "neteisingas-slaptazodis"},
                          headers={"Accept-Language": "lt"})
    assert refused.status_code == 401
    lithuanian(refused.get_data(as_text=True))
    assert "Neteisingas el. pašto adresas arba slaptažodis." in refused.get_data(as_text=True)
    english = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Keep me signed in" in english and 'lang="en"' in english


def test_a_page_behind_the_login_asks_in_lithuanian(client):
    response = client.get("/tasks", headers={"Accept-Language": "lt"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    lithuanian(html)
    assert "Norėdami tęsti, prisijunkite." in html


def test_not_found_and_forbidden_pages_are_lithuanian(client, lt_user):
    lt_user("rep")
    missing = client.get("/nera-tokio-puslapio")
    assert missing.status_code == 404
    lithuanian(missing.get_data(as_text=True))
    assert "Puslapis nerastas" in missing.get_data(as_text=True)
    forbidden = client.get("/tasks/team")
    assert forbidden.status_code == 403
    lithuanian(forbidden.get_data(as_text=True))
    assert "Neleidžiama" in forbidden.get_data(as_text=True)
    past_the_end = client.get("/settings/tokens?page=abc")  # not a list: still the page
    assert past_the_end.status_code == 200


def test_signed_out_not_found_follows_the_browser(client):
    html = client.get("/nera-tokio-puslapio", headers={"Accept-Language": "lt"}).get_data(as_text=True)
    lithuanian(html)
    assert 'lang="lt"' in html and "Puslapis nerastas" in html and "Atgal į Sequencer" in html


def test_a_user_missing_from_settings_is_a_lithuanian_404(client, lt_user):
    lt_user("admin")
    response = client.get("/settings/users/999999")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    lithuanian(html)
    assert "Tokio naudotojo nėra." in html


def test_rep_home_with_tasks_replies_and_hot_prospects(client, lt_user, factory, session):
    clock.freeze(NOW)
    rep = lt_user("rep", timezone="Europe/Vilnius")
    firm = factory.company(name="Šiaurės medis", domain="siaures-medis.lt")
    asker = factory.prospect(first_name="Ieva", last_name="Kazlauskienė", email="ieva@siaures-medis.lt",
                             owner_id=rep.id, company=firm)
    factory.task("call", owner_id=rep.id, title="Paskambinti Jonui", due_at=NOW + timedelta(hours=1))
    factory.task("call", owner_id=rep.id, title="Paskambinti Onai", due_at=NOW - timedelta(days=2),
                 prospect_id=asker.id)
    factory.task("call", owner_id=rep.id, title="Jau atlikta", due_at=NOW, status=TaskStatus.DONE)
    factory.task("reply_followup", owner_id=rep.id, title="Atsakyti Ievai", prospect_id=asker.id,
                 due_at=NOW + timedelta(days=3))
    factory.prospect(first_name="Karštas", last_name="Mano", email="karstas@siaures-medis.lt", owner_id=rep.id,
                     sales_ready=True, score_engagement=80, last_activity_at=NOW - timedelta(days=1), company=firm)
    session.commit()
    html = client.get("/").get_data(as_text=True)
    lithuanian(html)
    assert "Sveiki, Rūta" in html and "Paskambinti Onai" in html and "Karštas Mano" in html
    assert "terminas kovo 12 d. 13:00" in html  # Babel's Lithuanian date, in the rep's zone


def test_rep_home_empty(client, lt_user):
    lt_user("rep")
    lithuanian(client.get("/").get_data(as_text=True))


def test_manager_home_with_a_team(client, lt_user, factory, session):
    clock.freeze(NOW)
    lt_user("manager")
    rep = factory.user("rep", name="Tomas Petraitis", email="tomas@imone.lt")
    factory.task("call", owner_id=rep.id, title="Paskambinti", due_at=NOW - timedelta(days=3))
    factory.sequence(name="Pavasario kampanija", steps=1, status="active")
    session.commit()
    html = client.get("/").get_data(as_text=True)
    lithuanian(html)
    assert "Tomas Petraitis" in html and "Pavasario kampanija" in html
    assert "Ši savaitė nuo kovo 10 d., pr" in html  # Babel's Lithuanian date and weekday


def test_manager_home_empty(client, lt_user):
    lt_user("manager")
    lithuanian(client.get("/").get_data(as_text=True))


def test_search_results_empty_and_none(client, lt_user, factory, session):
    rep = lt_user("rep")
    firm = factory.company(name="Ąžuolų baldai", domain="azuolu-baldai.lt")
    factory.prospect(first_name="Marija", last_name="Ąžuolienė", email="marija@azuolu-baldai.lt", company=firm)
    factory.prospect(first_name="Petras", last_name="Ąžuolas", email="petras@azuolu-baldai.lt", company=firm)
    factory.opportunity(name="Ąžuolų sutartis", company=firm, owner=rep,
                        prospect=factory.prospect(first_name="Lina", last_name="Ąžuolė", email="lina@azuolu-baldai.lt",
                                                  company=firm))
    factory.sequence(name="Ąžuolų seka", steps=1)
    session.commit()
    html = client.get("/search?q=Ąžuol").get_data(as_text=True)
    lithuanian(html)
    assert "rezultatai pagal „Ąžuol“" in html or "rezultatų pagal „Ąžuol“" in html
    assert "3 kontaktai" in html
    lithuanian(client.get("/search?q=niekonera").get_data(as_text=True))
    lithuanian(client.get("/search").get_data(as_text=True))


def test_users_settings_sorted_in_lithuanian_and_refused_forms(client, lt_user, factory, session):
    lt_user("admin", name="Adomas Žilinskas", email="adomas@imone.lt")
    for name, email in (("Žydrūnas", "zydrunas"), ("Šarūnas", "sarunas"), ("Česlovas", "ceslovas"),
                        ("Zita", "zita"), ("Sigita", "sigita"), ("Cezaris", "cezaris")):
        factory.user("rep", name=name, email=f"{email}@imone.lt", last_login_at=NOW)
    session.commit()
    html = client.get("/settings").get_data(as_text=True)
    lithuanian(html)
    order = [html.index(f"{n}</span>") for n in ("Cezaris", "Česlovas", "Sigita", "Šarūnas", "Zita", "Žydrūnas")]
    assert order == sorted(order)
    refused = client.post("/settings/users", data={"email": "ne-adresas", "role": "vadovas", "password": "trumpas",
                                                    "name": "Nauja", "timezone": "Europe/Vilnius"})
    assert refused.status_code == 422
    lithuanian(refused.get_data(as_text=True))


def test_user_edit_page_its_refusals_and_the_language_it_saves(client, lt_user, factory, session):
    lt_user("admin")
    other = factory.user("rep", name="Jonas Jonaitis", email="jonas@imone.lt")
    session.commit()
    lithuanian(client.get(f"/settings/users/{other.id}").get_data(as_text=True))
    bad = client.post(f"/settings/users/{other.id}", data={"name": "", "email": "ne-adresas", "role": "x",
                                                             "timezone": "Mėnulis/Bazė", "locale": "fr"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    lithuanian(html)
    assert "Pataisykite 5 dalykus žemiau" in html and "Pasirinkite kalbą iš sąrašo." in html
    pw = client.post(f"/settings/users/{other.id}/password", data={"password": "123", "confirm": "456"})
    lithuanian(pw.get_data(as_text=True))
    ok = client.post(f"/settings/users/{other.id}", data={"name": "Jonas Jonaitis", "email": "jonas@imone.lt",
                                                            "role": "rep", "timezone": "Europe/Vilnius",
                                                            "locale": "lt"})
    assert ok.status_code == 302
    session.expire_all()
    assert session.get(User, other.id).locale == "lt"
    client.post(f"/settings/users/{other.id}", data={"name": "Jonas Jonaitis", "email": "jonas@imone.lt",
                                                      "role": "rep", "timezone": "Europe/Vilnius", "locale": ""})
    session.expire_all()
    assert session.get(User, other.id).locale is None  # empty: follow the browser
    lithuanian(client.get("/settings").get_data(as_text=True))  # the flash after saving


def test_workspace_settings_save_the_default_language(client, lt_user, session):
    lt_user("admin")
    html = client.get("/settings/workspace").get_data(as_text=True)
    lithuanian(html)
    assert 'name="default_locale"' in html and "Numatytoji kalba" in html
    form = {"company_name": "UAB Ąžuolas", "postal_address": "Gedimino pr. 1, Vilnius", "days": ["mon", "tue"],
            "window_start": "09:00", "window_end": "17:00", "fallback_timezone": "Europe/Vilnius",
            "default_locale": "lt"}
    assert client.post("/settings/workspace", data=form).status_code == 302
    session.expire_all()
    assert session.query(Workspace).one().default_locale == "lt"
    lithuanian(client.get("/settings/workspace").get_data(as_text=True))
    refused = client.post("/settings/workspace", data={**form, "default_locale": "fr"})
    assert refused.status_code == 422
    lithuanian(refused.get_data(as_text=True))
    late = client.post("/settings/workspace", data={**form, "window_start": "18:00"})
    lithuanian(late.get_data(as_text=True))
    assert "turi būti vėliau nei lango pradžia" in late.get_data(as_text=True)
    session.expire_all()
    assert session.query(Workspace).one().default_locale == "lt"


def test_the_workspace_default_speaks_to_a_browser_without_a_language_we_have(client, factory, session):
    from sequencer.accounts.workspace import get_workspace, set_default_locale

    set_default_locale(get_workspace(session), "lt")
    session.commit()
    html = client.get("/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'lang="lt"' in html and "Prisijungti" in html


def test_tokens_page_empty_populated_and_refused(client, lt_user, factory, session):
    lt_user("rep")
    lithuanian(client.get("/settings/tokens").get_data(as_text=True))
    created = client.post("/settings/tokens", data={"name": "Sinchronizacija", "expires_in_days": "30"})
    lithuanian(created.get_data(as_text=True))
    refused = client.post("/settings/tokens", data={"name": "Blogas", "expires_in_days": "-5"})
    assert refused.status_code == 422
    lithuanian(refused.get_data(as_text=True))
    client.post("/settings/tokens", data={"name": "", "expires_in_days": ""})
    lithuanian(client.get("/settings/tokens").get_data(as_text=True))


def test_queues_page_with_a_failed_job(client, lt_user, redis_conn):
    lt_user("admin")
    lithuanian(client.get("/settings/queues").get_data(as_text=True))
    q = queues.queue(queues.DEFAULT, redis_conn)
    job = queues.enqueue(queues.DEFAULT, "workers.jobs.nera_tokio_darbo", 7, connection=redis_conn)
    SimpleWorker([q], connection=redis_conn).work(burst=True)
    record_cron_tick(redis_conn, clock.now())
    html = client.get("/settings/queues").get_data(as_text=True)
    lithuanian(html)
    assert job.id in html and "Grąžinti į eilę" in html
    client.post(f"/settings/queues/failed/{job.id}/requeue")
    client.post("/settings/queues/failed/nera/requeue")
    lithuanian(client.get("/settings/queues").get_data(as_text=True))


@pytest.mark.parametrize(("n", "form"), [(0, "kontaktų"), (1, "kontaktas"), (2, "kontaktai"), (10, "kontaktų"),
                                         (11, "kontaktų"), (21, "kontaktas"), (22, "kontaktai"), (101, "kontaktas")])
def test_a_company_count_takes_the_right_lithuanian_form(n, form):
    assert ngettext_in("lt", "%(num)d prospect", "%(num)d prospects", n) == f"{n} {form}"


def test_english_readers_keep_english(client, factory, session):
    user = factory.user("admin", email="ruta@imone.lt", name="Rūta")
    session.commit()
    login(client, user.email)
    html = client.get("/settings").get_data(as_text=True)
    assert "Add a user" in html and "Log out" in html and 'lang="en"' in html
