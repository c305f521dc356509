"""Area d in Lithuanian: prospects, the prospect page, the form, the CSV import, duplicates, personas, the
suppression list, lead scoring and Inbound — every page with data, and its refusals, speaks Lithuanian.

Also: Lithuanian name order in the prospect list, searches that ignore Lithuanian marks, and plural forms."""
from __future__ import annotations

import io
from datetime import timedelta
from email.message import EmailMessage

import pytest

from sequencer.inbound.service import ingest
from sequencer.models import Event, ProspectStatus, SequenceStatus, StepRunState, Suppression
from sequencer.models.crm import SuppressionKind
from sequencer.platform import clock
from sequencer.platform.i18n import ngettext_in
from sequencer.scoring import ingest as scoring
from tests.conftest import login
from tests.i18n.support import english_words_in
from tests.people.csv_import.helpers import csv_bytes

ALLOWED = frozenset()


@pytest.fixture
def lt_manager(client, factory, session):
    user = factory.user("manager", locale="lt", name="Rūta Žemaitė", email="ruta@imone.lt")
    session.commit()
    login(client, user.email)
    return user


def ours(html: str) -> str:
    """The whole page: every area is merged, so the navigation around it is checked too."""
    return html


def english_in(html: str) -> list[str]:
    return english_words_in(ours(html), ALLOWED)


def _lithuanian(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    html = response.get_data(as_text=True)
    assert english_in(html) == [], (url, english_in(html))
    return html


def _people(factory, session, owner):
    company = factory.company(name="Ąžuolas", domain="azuolas.lt", industry="Gamyba", country="LT")
    persona = factory.persona("finansai", name="Finansų vadovas", title_keywords=["finansų direktorius"])
    names = [("Jonas", "Žukauskas"), ("Ona", "Zabiela"), ("Petras", "Čepas"), ("Rasa", "Cvirka")]
    people = [factory.prospect(first_name=f, last_name=last, email=f"{f.lower()}@azuolas.lt", company=company,
                               persona=persona, owner_id=owner.id, title="Finansų direktorius", country="LT",
                               city="Vilnius", timezone="Europe/Vilnius", language="lt")
              for f, last in names]
    session.commit()
    return people


def _score(session, prospect, *kinds: str) -> None:
    now = clock.now()
    scoring.receive(session, [{"prospect_id": prospect.id, "kind": k, "occurred_at": (now - timedelta(days=3)).isoformat(),
                               "properties": {"url": "https://azuolas.lt/pricing"}} for k in kinds], now)
    session.commit()


def test_prospect_list_empty_populated_and_filtered(client, factory, session, lt_manager):
    html = _lithuanian(client, "/prospects")
    assert "Šiuos filtrus atitinkančių kontaktų nėra." in html and "0 atitinka" in html
    _people(factory, session, lt_manager)
    html = _lithuanian(client, "/prospects")
    assert "Kontaktai" in html and "4 atitinka" in html
    _lithuanian(client, "/prospects?q=azuolas&status=active&sales_ready=false")


def test_the_list_sorts_names_in_lithuanian_order(client, factory, session, lt_manager):
    _people(factory, session, lt_manager)
    html = client.get("/prospects").get_data(as_text=True)
    order = [html.index(name) for name in ("Cvirka", "Čepas", "Zabiela", "Žukauskas")]
    assert order == sorted(order)
    factory.user("rep", name="Česlovas Ūsas")
    factory.user("rep", name="Dovilė Aukštaitė")
    session.commit()
    owners = client.get("/prospects").get_data(as_text=True).split('aria-label="Atsakingas"', 1)[1]
    assert owners.index("Česlovas Ūsas") < owners.index("Dovilė Aukštaitė")  # the owner filter, too (Č before D)


def test_searches_ignore_lithuanian_marks(client, factory, session, lt_manager):
    _people(factory, session, lt_manager)
    listed = client.get("/prospects?q=zukauskas").get_data(as_text=True)
    assert "Žukauskas" in listed and "Zabiela" not in listed
    assert "Čepas" in client.get("/prospects?q=CEPAS").get_data(as_text=True)
    assert "Žukauskas" in client.get("/prospects?q=Žukauskas").get_data(as_text=True)  # with the marks too
    assert "Žukauskas" in client.get("/search?q=jonas zukauskas").get_data(as_text=True)
    assert "Žukauskas" in client.get("/prospects?q=azuolas").get_data(as_text=True)  # the company, unmarked


def test_prospect_page_with_a_timeline_of_several_kinds(client, factory, session, lt_manager):
    jonas = _people(factory, session, lt_manager)[0]
    sequence = factory.sequence(name="Baltijos finansininkai", status=SequenceStatus.ACTIVE)
    mailbox = factory.mailbox(owner_id=lt_manager.id)
    enrollment = factory.enrollment(prospect=jonas, sequence=sequence, mailbox_id=mailbox.id)
    step = sequence.steps[0]
    now = clock.now()
    factory.step_run(enrollment, step, state=StepRunState.SENT, sent_at=now - timedelta(days=2),
                     done_at=now - timedelta(days=2), subject="Sveiki, Jonai")
    for i, (kind, payload) in enumerate([("enrolled", {}), ("sent", {"subject": "Sveiki, Jonai"}), ("opened", {}),
                                         ("clicked", {}), ("call_logged", {"outcome": "connected", "notes": "Kalbėjome"}),
                                         ("note", {"note": "Skambinti po švenčių"}), ("task_completed", {}),
                                         ("paused", {}), ("resumed", {})]):
        session.add(Event(kind=kind, prospect_id=jonas.id, enrollment_id=enrollment.id, sequence_id=sequence.id,
                          step_id=step.id if kind in ("sent", "opened", "clicked") else None,
                          occurred_at=now - timedelta(hours=20 - i), payload=payload))
    session.commit()
    _score(session, jonas, "demo_requested", "page_view")
    html = _lithuanian(client, f"/prospects/{jonas.id}")
    assert "Veiklos istorija" in html and "Balas" in html and "demonstracijos užklausa" in html


def _without_countries(html: str) -> str:
    """The form without its country list, which is pycountry's Lithuanian: its ISO codes (IS …) and names
    (Sent Kitsas …) are not English words; the list itself is checked here."""
    countries = html.split('<select id="f-country"', 1)[1].split("</select>", 1)[0]
    assert "Lietuva (LT)" in countries and "Vokietija (DE)" in countries and "Lithuania" not in countries
    assert countries.index("Čekija") < countries.index("Danija")  # Lithuanian alphabetical order
    return html.replace(countries, "")


def test_the_form_new_edit_and_a_refused_save(client, factory, session, lt_manager):
    jonas = _people(factory, session, lt_manager)[0]
    for url in ("/prospects/new", f"/prospects/{jonas.id}/edit"):
        assert english_in(_without_countries(client.get(url).get_data(as_text=True))) == [], url
    response = client.post("/prospects/new", data={"email": "ne-adresas", "first_name": "Ieva", "phone": "abc",
                                                    "language": "lietuvių", "fields": "{bad"})
    assert response.status_code == 422
    html = _without_countries(response.get_data(as_text=True))
    assert english_in(html) == [], english_in(html)
    assert "netinkamas JSON" in html and "nėra telefono numeris" in html
    duplicate = client.post("/prospects/new", data={"email": "jonas@azuolas.lt", "first_name": "Jonas"})
    assert duplicate.status_code == 409 and english_in(_without_countries(duplicate.get_data(as_text=True))) == []


ROWS = [["Vardas", "Pavardė", "El. paštas", "Pareigos", "Įmonė"],
        ["Šarūnas", "Jonaitis", "sarunas@azuolas.lt", "Finansų direktorius", "Ąžuolas"],
        ["Be", "Adreso", "", "Direktorius", "Niekur"],
        ["Blogas", "Adresas", "ne-adresas", "Vadovas", "Niekur"],
        ["Šarūnas", "Dvigubas", "sarunas@azuolas.lt", "Vadovas", "Ąžuolas"],
        ["Blokuotas", "Asmuo", "blokuotas@konkurentas.lt", "Vadovas", "Konkurentas"]]


def test_import_upload_mapping_and_detail_with_skipped_rows(client, factory, session, lt_manager):
    _lithuanian(client, "/prospects/import")
    refused = client.post("/prospects/import", data={"file": (io.BytesIO(b""), "tuscias.csv")},
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and "failas tuščias" in refused.get_data(as_text=True)
    assert english_in(refused.get_data(as_text=True)) == []
    client.post("/suppressions", data={"entries": "konkurentas.lt", "reason": "competitor"})
    res = client.post("/prospects/import", data={"file": (io.BytesIO(csv_bytes(ROWS, ";", "utf-8")), "sarasas.csv")},
                      content_type="multipart/form-data")
    mapping_url = res.headers["Location"]
    _lithuanian(client, mapping_url)
    wrong = client.post(mapping_url, data={"col-0": "first_name", "col-1": "last_name", "col-2": "", "col-3": "title",
                                           "col-4": "company", "on_duplicate": "update_empty"})
    assert wrong.status_code == 422 and "priskirkite vieną stulpelį el. paštui" in wrong.get_data(as_text=True)
    assert english_in(wrong.get_data(as_text=True)) == []
    done = client.post(mapping_url, data={"col-0": "first_name", "col-1": "last_name", "col-2": "email",
                                          "col-3": "title", "col-4": "company", "on_duplicate": "update_empty"})
    html = _lithuanian(client, done.headers["Location"])
    assert "nėra el. pašto adreso" in html and "tas pats el. pašto adresas kaip šio failo 2 eilutėje" in html
    assert "domenas yra blokuojamų adresų sąraše" in html
    _lithuanian(client, done.headers["Location"] + "?kind=duplicate")
    _lithuanian(client, "/prospects/import")  # the recent imports, with their counts


def test_duplicates_personas_and_suppressions(client, factory, session, lt_manager):
    company = factory.company(name="Liepa", domain="liepa.lt")
    factory.prospect(first_name="Aistė", last_name="Kairė", email="aiste@liepa.lt", company=company)
    factory.prospect(first_name="Aistė", last_name="Kairė", email="aiste.kaire@liepa.lt", company=company)
    session.commit()
    _lithuanian(client, "/prospects/duplicates")
    _people(factory, session, lt_manager)
    html = _lithuanian(client, "/personas")
    assert "Finansų vadovas" in html
    refused = client.post("/personas", data={"key": "Blogas Raktas", "name": ""})
    assert refused.status_code == 422 and english_in(refused.get_data(as_text=True)) == []
    persona_id = html.split("/personas/")[1].split("/")[0]
    _lithuanian(client, f"/personas/{persona_id}/edit")
    _lithuanian(client, "/suppressions")  # empty
    client.post("/suppressions", data={"entries": "vardas@konkurentas.lt\nkonkurentas.lt\nne adresas",
                                       "reason": "competitor", "note": "Konkurentai"})
    html = _lithuanian(client, "/suppressions")
    assert "Konkurentas" in html and "visas domenas" in html
    _lithuanian(client, "/suppressions?q=niekas")


def test_scoring_rules_and_hot_leads(client, factory, session, lt_manager):
    _lithuanian(client, "/hot-leads")  # empty
    jonas = _people(factory, session, lt_manager)[0]
    _score(session, jonas, "demo_requested", "webinar_attended", "content_download", "page_view")
    html = _lithuanian(client, "/hot-leads")
    assert "Žukauskas" in html and "prieš 3 d." in html
    _lithuanian(client, "/settings/scoring")
    refused = client.post("/settings/scoring", data={"threshold": "0", "rules": "[", "groups": "[]", "action": "save"})
    assert refused.status_code == 422 and english_in(refused.get_data(as_text=True)) == []


def test_inbound_list_and_detail(client, factory, session, lt_manager):
    _lithuanian(client, "/inbound")  # empty
    jonas = _people(factory, session, lt_manager)[0]
    sequence = factory.sequence(name="Baltijos finansininkai", status=SequenceStatus.ACTIVE)
    mailbox = factory.mailbox(email="ruta@imone.lt", owner_id=lt_manager.id)
    enrollment = factory.enrollment(prospect=jonas, sequence=sequence, mailbox_id=mailbox.id)
    now = clock.now()
    factory.step_run(enrollment, sequence.steps[0], state=StepRunState.SENT, sent_at=now, done_at=now,
                     mailbox_id=mailbox.id, message_id="<pirmas@imone.lt>", subject="Sveiki, Jonai")
    session.commit()
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Jonas Žukauskas <jonas@azuolas.lt>", "Rūta <ruta@imone.lt>", "Re: Sveiki"
    msg["Date"], msg["Message-ID"] = "Fri, 11 Dec 2026 10:00:00 +0000", "<atsakymas@azuolas.lt>"
    msg["In-Reply-To"] = msg["References"] = "<pirmas@imone.lt>"
    msg.set_content("Ačiū, paskambinkite ketvirtadienį.")
    row = ingest(session, msg.as_bytes(), source="api", now=now)
    session.commit()
    _lithuanian(client, "/inbound")
    _lithuanian(client, "/inbound?classification=reply")
    _lithuanian(client, "/inbound?status=attention")
    html = client.get(f"/inbound/{row.id}").get_data(as_text=True)
    assert english_words_in(ours(html), frozenset({"reply"})) == []  # the header name In-Reply-To, as it is
    assert "Atpažinta kaip" in html
    _lithuanian(client, f"/prospects/{jonas.id}")  # the reply on the timeline


@pytest.mark.parametrize(("n", "expected"), [
    (0, "0 eilučių"), (1, "1 eilutė"), (2, "2 eilutės"), (10, "10 eilučių"), (11, "11 eilučių"),
    (21, "21 eilutė"), (22, "22 eilutės"), (101, "101 eilutė")])
def test_row_counts_take_the_lithuanian_plural(n, expected):
    assert ngettext_in("lt", "%(num)d row", "%(num)d rows", n) == expected


@pytest.mark.parametrize(("n", "expected"), [
    (0, "0 adresų"), (1, "1 adresas"), (2, "2 adresai"), (10, "10 adresų"), (11, "11 adresų"),
    (21, "21 adresas"), (22, "22 adresai"), (101, "101 adresas")])
def test_the_suppression_list_counts_addresses_in_lithuanian(client, factory, session, lt_manager, n, expected):
    session.add_all([Suppression(kind=SuppressionKind.EMAIL, value=f"a{i}@konkurentas.lt", reason="competitor",
                                 created_at=clock.now()) for i in range(n)])
    session.commit()
    assert expected + " · " in client.get("/suppressions").get_data(as_text=True)


def test_an_english_reader_still_reads_english(client, factory, session):
    user = factory.user("manager", locale="en")
    session.commit()
    login(client, user.email)
    factory.prospect(first_name="Jonas", last_name="Žukauskas", email="jonas@azuolas.lt",
                     status=ProspectStatus.ACTIVE)
    session.commit()
    html = client.get("/prospects?q=zukauskas").get_data(as_text=True)
    assert "1 matching" in html and "Žukauskas" in html and "Search name, email, title or company" in html


def test_stored_english_texts_are_said_again_in_lithuanian_and_others_left_alone(app):
    from flask_babel import force_locale

    from sequencer.web.stored_texts import said

    with app.test_request_context("/"), force_locale("lt"):
        assert said("same email as line 7 of this file") == "tas pats el. pašto adresas kaip šio failo 7 eilutėje"
        assert said("recorded; 2 colleague enrolment(s) stopped") == "užfiksuota; sustabdyta kolegų įtraukimų: 2"
        assert said("paused until 2027-01-05 08:00 UTC (already applied; reclassified only)") == \
            "pristabdyta iki 2027-01-05 08:00 UTC (jau pritaikyta; tik perklasifikuota)"
        unknown = "The domain name x.y does not exist or at least not yet"  # no message id: left as it is
        assert said(unknown) == unknown
