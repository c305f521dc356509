"""Area c in Lithuanian: the sequences list and page, the builder (every step type, preview, a refused template),
the enrol page with its capacity check and confirmation, and the enrol result; counts in all three plural forms."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from sequencer.models import Enrollment, Sequence, SequenceStatus, Task
from sequencer.platform import clock
from sequencer.platform.i18n import ngettext_in
from tests.conftest import login
from tests.i18n.support import english_words_in

SUNDAY_NOON = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)  # a Sunday in December, everywhere in Europe

DAYS = ["mon", "tue", "wed", "thu", "fri"]
EMAIL = {"type": "auto_email", "wait_days": "0", "variants-0-label": "A", "variants-0-weight": "50",
         "variants-0-subject": "Sąskaitos {{ company.name }}", "variants-0-body": "Sveiki, {{ prospect.first_name }},",
         "variants-0-persona-cfo-subject": "Greitesnis mėnesio uždarymas",
         "variants-0-persona-cfo-body": "Gerbiamas {{ prospect.last_name }}",
         "variants-1-label": "B", "variants-1-weight": "50", "variants-1-subject": "Trumpas klausimas",
         "variants-1-body": "Laba diena, {{ prospect.first_name }}"}
OTHERS = [{"type": "manual_email", "wait_days": "2", "thread": "1", "variants-0-label": "A",
           "variants-0-weight": "50", "variants-0-subject": "", "variants-0-body": "Primenu, {{ prospect.first_name }}"},
          {"type": "call", "wait_days": "1", "instructions": "Paskambinkite dėl laiško"},
          {"type": "linkedin_view", "wait_days": "1", "instructions": "Peržiūrėkite profilį"},
          {"type": "linkedin_connect", "wait_days": "1", "instructions": "Pakvieskite užmegzti ryšį"},
          {"type": "linkedin_message", "wait_days": "2", "instructions": "Parašykite žinutę"},
          {"type": "task", "wait_days": "1", "instructions": "Patikrinkite įmonės naujienas"}]


def form(name: str, steps: list[dict], **extra) -> dict:
    data = {"name": name, "description": "Finansų vadovams Baltijos šalyse", "days": DAYS,
            "window_start": "09:00", "window_end": "17:00", "holidays": "prospect",
            "fallback_timezone": "Europe/Vilnius", "exit_on_reply": "1"}
    for i, step in enumerate(steps):
        data.update({f"steps-{i}-{key}": value for key, value in step.items()})
    data.update(extra)
    return data


CODE = re.compile(r"\{\{.*?\}\}|„[\w.*]+“")  # template code the data holds, a variable named in a refusal
# shared parts other areas translate: step chips (web/chips.py) and the pager (_macros.html)
SHARED = re.compile(r'<span class="chip [^"]*"[^>]*><span class="ico">[^<]*</span>[^<]*</span>|<nav class="pager".*?</nav>',
                    re.DOTALL)


def own_part(html: str) -> str:
    """The whole page: every area is merged, so the navigation around it is checked too."""
    return CODE.sub("", html)


def lithuanian(response, status: int = 200) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == status, html[:2000]
    assert english_words_in(own_part(html)) == [], english_words_in(own_part(html))
    return html


@pytest.fixture
def manager(client, factory, session):
    factory.persona("cfo", name="Finansų vadovas")
    user = factory.user("manager", locale="lt", name="Rūta Žemaitė", timezone="Europe/Vilnius")
    factory.mailbox(owner_id=user.id, daily_limit=2, email="ruta@medis.lt")
    session.commit()
    login(client, user.email)
    return user


@pytest.fixture
def people(factory, session, manager):
    company = factory.company(name="Baltijos medis", domain="medis.lt")
    names = [("Jonas", "Petraitis"), ("Ona", "Kazlauskienė"), ("Tomas", "Žukauskas"), ("Eglė", "Jankutė")]
    rows = [factory.prospect(first_name=first, last_name=last, email=f"{first.lower()}@medis.lt".replace("ė", "e"),
                             company=company, owner_id=manager.id, timezone="Europe/Vilnius")
            for first, last in names]
    session.commit()
    return rows


def test_the_sequences_list_empty_and_populated(client, manager, session):
    html = lithuanian(client.get("/sequences"))
    assert "Sekų dar nėra." in html and "0 sekų" in html
    lithuanian(client.get("/sequences/new"))
    assert client.post("/sequences/new", data=form("Finansų vadovų kampanija", [EMAIL, *OTHERS])).status_code == 302
    html = lithuanian(client.get("/sequences"))
    assert "1 seka" in html and "7 žingsniai" in html


def test_the_builder_with_every_step_type_and_a_preview(client, manager, people, session):
    clock.freeze(SUNDAY_NOON)  # the preview's waiting reason is known only for a known moment
    assert client.post("/sequences/new", data=form("Finansų vadovų kampanija", [EMAIL, *OTHERS])).status_code == 302
    seq = session.query(Sequence).one()
    html = lithuanian(client.get(f"/sequences/{seq.id}/edit"))
    assert "Siuntimo tvarkaraštis" in html and "LinkedIn kvietimas" in html and "> pr</label>" in html
    for step_type in ("call", "linkedin_view", "linkedin_connect", "linkedin_message", "task", "manual_email"):
        fragment = client.post(f"/sequences/{seq.id}/edit/steps",
                               data=form("Finansų vadovų kampanija", [EMAIL], action=f"add:{step_type}"))
        lithuanian(fragment)
    added = client.post("/sequences/new/steps", data=form("Nauja", [], action="add:linkedin_view")).text
    assert "Peržiūrėkite kontakto LinkedIn profilį." in added  # the default instructions, in the reader's language
    preview = client.post(f"/sequences/{seq.id}/edit/preview",
                          data=form("Finansų vadovų kampanija", [EMAIL, *OTHERS], preview_prospect=str(people[0].id)))
    html = lithuanian(preview)
    assert "Jei įtrauktumėte dabar" in html and "Kontakto laikas" in html
    assert re.search(r"gruodžio \d+ d\., (pr|an|tr|kt|pn) 09:00", html), html  # Babel's Lithuanian dates
    assert "ne siuntimo diena (sk), atsidaro pr 09:00" in html
    for position in (3, 7):  # a call and a task: the rep's instructions
        lithuanian(client.post(f"/sequences/{seq.id}/edit/preview", data=form(
            "Finansų vadovų kampanija", [EMAIL, *OTHERS], preview_prospect=str(people[0].id),
            preview_step=str(position))))


def test_a_refused_template_and_schedule_are_explained_in_lithuanian(client, manager, people, session):
    bad = {**EMAIL, "variants-1-body": "Sveiki, {{ prospect.frist_name }}"}
    response = client.post("/sequences/new", data=form("Klaidinga seka", [bad], days=[], window_end="08:00"))
    html = lithuanian(response, 422)
    assert "nežinomas kintamasis „prospect.frist_name“" in html and "1 žingsnis · B variantas · tekstas" in html
    assert "lango pabaiga: turi būti vėliau" in html or "reikia bent vienos dienos" in html
    preview = client.post("/sequences/new/preview", data=form("Klaidinga seka", [bad],
                                                                preview_prospect=str(people[0].id)))
    assert "Kad pamatytumėte peržiūrą, ištaisykite" in lithuanian(preview)
    assert client.post("/sequences/new", data=form("", [])).status_code == 422
    html = lithuanian(client.post("/sequences/new", data=form("", [])), 422)
    assert "suteikite sekai pavadinimą" in html


def test_a_sequence_page_with_enrolments_and_the_enrol_flow(client, manager, people, session):
    assert client.post("/sequences/new", data=form("Finansų vadovų kampanija", [EMAIL, *OTHERS])).status_code == 302
    seq = session.query(Sequence).one()
    html = lithuanian(client.get(f"/sequences/{seq.id}"))
    assert "Į seką dar niekas neįtrauktas." in html
    client.post(f"/sequences/{seq.id}/status", data={"action": "activate"})
    assert session.get(Sequence, seq.id).status == SequenceStatus.ACTIVE
    ids = [str(p.id) for p in people]
    lithuanian(client.get("/enroll", query_string={"ids": ids}))
    lithuanian(client.get("/enroll"))  # nothing selected
    lithuanian(client.post("/enroll", data={"ids": ids}), 422)  # no sequence chosen
    people[3].status = people[3].status.__class__("unsubscribed")
    session.commit()
    check = client.post("/enroll", data={"ids": ids, "sequence_id": str(seq.id)})
    html = lithuanian(check)
    assert "Į seką bus įtraukti <strong>3 kontaktai</strong>" in html and "1 neįtrauktas" in html
    assert "Patvirtinti: įtraukti 3 kontaktus" in html and "per dieną" in html
    assert "užtruks <strong>~2 darbo dienas</strong>" in html
    done = client.post("/enroll", data={"ids": ids, "sequence_id": str(seq.id), "confirmed": "1"})
    html = lithuanian(done)
    assert session.query(Enrollment).count() == 3 and "3 įtraukti" in html and "1 praleistas" in html
    html = lithuanian(client.get(f"/sequences/{seq.id}"))
    assert "Jonas Petraitis" in html and "Laukti" not in html
    lithuanian(client.get(f"/sequences/{seq.id}", query_string={"q": "nėra tokio", "status": "active"}))
    lithuanian(client.get(f"/sequences/{seq.id}/edit"))  # reached steps are locked now


@pytest.mark.parametrize(("n", "word"), [(0, "žingsnių"), (1, "žingsnis"), (2, "žingsniai"), (10, "žingsnių"),
                                         (11, "žingsnių"), (21, "žingsnis"), (22, "žingsniai"), (101, "žingsnis")])
def test_step_counts_take_the_right_lithuanian_form(n, word):
    assert ngettext_in("lt", "%(num)d step", "%(num)d steps", n) == f"{n} {word}"
    assert ngettext_in("en", "%(num)d step", "%(num)d steps", n) == f"{n} step{'' if n == 1 else 's'}"


def test_a_held_step_asks_its_owner_in_the_owners_language(factory, session):
    from sequencer.outreach.holds import hold
    from sequencer.platform import clock

    lt_rep, en_rep = factory.user("rep", locale="lt"), factory.user("rep")
    runs = [factory.step_run(factory.enrollment(prospect=factory.prospect(first_name="Jonas", last_name="Petraitis",
                                                                          owner_id=owner.id)))
            for owner in (lt_rep, en_rep)]
    for run in runs:
        hold(session, run, ["prospect.first_name"], clock.now())
    lt_task, en_task = (session.scalars(select(Task).where(Task.step_run_id == run.id)).one() for run in runs)
    assert lt_task.title == "Ištaisykite kontakto Jonas Petraitis duomenis: trūksta prospect.first_name"
    assert lt_task.instructions.startswith("Sekos „")
    assert en_task.title == "Fix Jonas Petraitis's data: missing prospect.first_name"


def test_a_held_step_follows_the_workspace_language_when_its_owner_chose_none(factory, session):
    from sequencer.models import Workspace
    from sequencer.outreach.holds import hold
    from sequencer.platform import clock

    session.add(Workspace(default_locale="lt"))
    owner = factory.user("rep")  # no profile language: the workspace's rule decides, as for every other task
    run = factory.step_run(factory.enrollment(prospect=factory.prospect(first_name="Jonas", last_name="Petraitis",
                                                                        owner_id=owner.id)))
    hold(session, run, ["prospect.first_name"], clock.now())
    task = session.scalars(select(Task).where(Task.step_run_id == run.id)).one()
    assert task.title.startswith("Ištaisykite kontakto Jonas Petraitis duomenis")
