"""The task queue, its panels, the manual email editor, the team view and time off speak Lithuanian to a `lt` reader.

The checks read the page's own part (`<main>` and the title): the sidebar belongs to base.html and is checked by
tests/i18n/test_pages_lt.py.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from sequencer.models import (
    Enrollment,
    EnrollmentStatus,
    Event,
    Prospect,
    SequenceStatus,
    Step,
    StepRunState,
    Task,
    User,
    Variant,
)
from sequencer.models.sequences import StepType
from sequencer.platform import clock
from sequencer.platform.i18n import ngettext_in
from tests.conftest import login
from tests.factories import Factory
from tests.i18n.support import english_words_in

NOW = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)  # a Wednesday: 16:00 in Vilnius
HX = {"HX-Request": "true"}


@dataclass
class World:
    rep: User
    mate: User
    boss: User
    ona: Prospect
    tasks: dict[str, Task]


def page_part(html: str) -> str:
    """The whole page: every area is merged, so the navigation around it is checked too."""
    return html


def lithuanian(html: str) -> list[str]:
    return english_words_in(page_part(html))


def _sequence_tasks(factory: Factory, rep: User, ona: Prospect) -> dict[str, Task]:
    """A manual email and a call from a Lithuanian sequence, with the enrolment and mailbox the editor needs."""
    mailbox = factory.mailbox(owner_id=rep.id, name="Rūta Žemaitė", email="ruta@pardavimai.lt")
    seq = factory.sequence(steps=0, name="Finansų vadovų seka", status=SequenceStatus.ACTIVE)
    first = Step(sequence=seq, position=1, type=StepType.MANUAL_EMAIL, wait_days=0,
                 instructions="Priminkite apie krovinių biudžetą")
    variant = Variant(step=first, label="A", subject="Sveiki, {{ prospect.first_name }}",
                      body="Laba diena,\n\nar gavote skaičiavimus?")
    second = Step(sequence=seq, position=2, type=StepType.CALL, wait_days=2,
                  instructions="Paklauskite apie antro ketvirčio biudžetą")
    factory.session.add_all([first, variant, second])
    factory.session.flush()
    enrollment = factory.enrollment(prospect=ona, sequence=seq, mailbox_id=mailbox.id, enrolled_by_id=rep.id,
                                    created_at=NOW - timedelta(days=3))
    run = factory.step_run(enrollment, first, variant=variant, mailbox_id=mailbox.id,
                           state=StepRunState.TASK_OPEN, due_at=NOW)
    email = factory.task("manual_email", owner_id=rep.id, prospect_id=ona.id, enrollment_id=enrollment.id,
                         step_run_id=run.id, due_at=NOW, priority=1, title="Laiškas Onai")
    return {"manual_email": email}


def _build(factory: Factory) -> World:
    rep = factory.user("rep", locale="lt", name="Rūta Žemaitė", timezone="Europe/Vilnius")
    mate = factory.user("rep", locale="lt", name="Tomas Petraitis", timezone="Europe/Vilnius")
    boss = factory.user("manager", locale="lt", name="Vida Kairienė", timezone="Europe/Vilnius")
    company = factory.company(name="Baltijos krovinių linija", domain="krovinys.lt")
    ona = factory.prospect(first_name="Ona", last_name="Kazlauskė", title="Finansų direktorė", company=company,
                           timezone="Europe/Vilnius", phone="+370 600 12345", email="ona@krovinys.lt",
                           linkedin_url="https://www.linkedin.com/in/ona", owner_id=rep.id)
    jonas = factory.prospect(first_name="Jonas", last_name="Jonaitis", title="Logistikos vadovas",
                             email="jonas@sandeliai.lt", company=factory.company(name="Sandėliai", domain="s.lt"),
                             owner_id=rep.id)
    tasks = _sequence_tasks(factory, rep, ona)
    deal = factory.opportunity("proposal", prospect=factory.prospect(first_name="Petras", last_name="Petrauskas",
                                                                      email="petras@uostas.lt"),
                               name="Uosto sutartis", owner=rep)
    titles = {"call": ("Paskambinti Onai", ona), "linkedin_view": ("Peržiūrėti Onos profilį", ona),
              "linkedin_connect": ("Pakviesti Oną", ona), "linkedin_message": ("Parašyti Onai", ona),
              "task": ("Paruošti pasiūlymą", ona), "todo": ("Nusiųsti kainyną", None),
              "reply_followup": ("Atsakyti Jonui", jonas), "fix_data": ("Patikslinti Jono duomenis", jonas),
              "sales_ready": ("Skambutis karštam kontaktui", jonas), "speed_to_lead": ("Naujas kontaktas", jonas),
              "stale_opportunity": ("Sandoris stovi vietoje", None)}
    for n, (kind, (title, who)) in enumerate(titles.items()):
        tasks[kind] = factory.task(kind, owner_id=rep.id, prospect_id=who.id if who else None, title=title,
                                   due_at=NOW + timedelta(minutes=n), priority=2,
                                   opportunity_id=deal.id if kind == "stale_opportunity" else None)
    tasks["overdue"] = factory.task("call", owner_id=rep.id, prospect_id=ona.id, title="Vėluojantis skambutis",
                                    due_at=NOW - timedelta(days=2))
    tasks["upcoming"] = factory.task("todo", owner_id=rep.id, title="Kitos savaitės darbas",
                                     due_at=NOW + timedelta(days=6))
    session = factory.session
    session.add_all([
        Event(kind="task_completed", occurred_at=NOW - timedelta(days=1), prospect_id=ona.id, user_id=rep.id,
              payload={"type": "call", "outcome": "voicemail"}),
        Event(kind="sent", occurred_at=NOW - timedelta(days=3), prospect_id=ona.id, payload={}),
        Event(kind="opened", occurred_at=NOW - timedelta(days=2), prospect_id=ona.id, payload={}),
        Event(kind="replied", occurred_at=NOW - timedelta(hours=5), prospect_id=jonas.id,
              payload={"sentiment": "positive"})])
    session.commit()
    return World(rep, mate, boss, ona, tasks)


@pytest.fixture
def world(factory) -> World:
    clock.freeze(NOW)
    return _build(factory)


@pytest.fixture
def as_rep(world, client) -> World:
    assert login(client, world.rep.email).status_code == 302
    return world


def test_the_queue_in_every_bucket_speaks_lithuanian(as_rep, client):
    for bucket in ("today", "overdue", "upcoming"):
        html = client.get(f"/tasks?bucket={bucket}").get_data(as_text=True)
        assert lithuanian(html) == [], bucket
    html = client.get("/tasks").get_data(as_text=True)
    assert "Mano užduotys" in html and "Šiandien" in html and "Vėluoja" in html
    assert "kovo 4 d., trečiadienis · Europe/Vilnius" in html
    assert 'title="1 vėluojanti užduotis"' in html and "užduočių su terminu šiandien" in html
    assert "<kbd>c</kbd> atlikti" in html


def test_the_queue_filtered_and_empty_speaks_lithuanian(as_rep, client):
    for url in ("/tasks?type=linkedin_connect", "/tasks?type=speed_to_lead&bucket=upcoming",
                "/tasks?bucket=upcoming&type=call"):
        html = client.get(url).get_data(as_text=True)
        assert lithuanian(html) == [], url
    assert "Būsimų užduočių nėra." in client.get("/tasks?bucket=upcoming&type=call").get_data(as_text=True)


def test_the_panel_of_every_task_type_speaks_lithuanian(as_rep, client):
    for kind, task in as_rep.tasks.items():
        html = client.get(f"/tasks/{task.id}/panel").get_data(as_text=True)
        assert lithuanian(html) == [], kind
    call = client.get(f"/tasks/{as_rep.tasks['call'].id}/panel").get_data(as_text=True)
    assert "Palikta balso žinutė" in call and "Neatsiliepė" in call and "Ne tas asmuo" in call
    assert "16:00</span><span class=\"muted\">, trečiadienis · Europe/Vilnius" in call  # the prospect's local time
    assert "balso žinutė" in call  # the last touch's outcome
    reply = client.get(f"/tasks/{as_rep.tasks['reply_followup'].id}/panel").get_data(as_text=True)
    assert "Sukurti sandorį" in reply and "Teigiamas atsakymas" in reply


def test_the_manual_email_editor_speaks_lithuanian(as_rep, client):
    task = as_rep.tasks["manual_email"]
    html = client.get(f"/tasks/{task.id}/email").get_data(as_text=True)
    assert lithuanian(html) == [] and "Siųsti laišką" in html and "Sveiki, Ona" in html
    refused = client.post(f"/tasks/{task.id}/email", data={"subject": "Sveiki", "body": ""})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert lithuanian(html) == [] and "Neišsiųsta: parašykite laišką" in html


def test_refused_actions_are_said_in_lithuanian(as_rep, client):
    task = as_rep.tasks["call"]
    html = client.post(f"/tasks/{task.id}/skip", headers=HX, data={"reason": " "}).get_data(as_text=True)
    assert lithuanian(html) == [] and "nurodykite, kodėl užduotis praleidžiama" in html
    html = client.post(f"/tasks/{task.id}/snooze", headers=HX, data={"choice": "custom"}).get_data(as_text=True)
    assert "pasirinkite laiką" in html
    response = client.post(f"/tasks/{task.id}/skip", data={"reason": ""}, follow_redirects=True)
    assert "Neišsaugota: nurodykite" in response.get_data(as_text=True)


def test_actions_answer_in_lithuanian(as_rep, client):
    task = as_rep.tasks["call"]
    html = client.post(f"/tasks/{task.id}/complete", headers=HX,
                       data={"outcome": "voicemail", "index": "0"}).get_data(as_text=True)
    assert lithuanian(html) == [] and "Paskambinti Onai: palikta balso žinutė" in html and "Atšaukti" in html
    html = client.post(f"/tasks/{task.id}/undo", headers=HX, data={}).get_data(as_text=True)
    assert "Atšaukta: Paskambinti Onai vėl atvira" in html
    html = client.post(f"/tasks/{task.id}/snooze", headers=HX, data={"choice": "tomorrow"}).get_data(as_text=True)
    assert "Atidėta iki kovo 5 d., kt 09:00" in html  # tomorrow 09:00 in the rep's zone
    assert lithuanian(html) == []
    ids = [as_rep.tasks["todo"].id, as_rep.tasks["task"].id]
    html = client.post("/tasks/bulk", headers=HX, data={"ids": ids, "action": "complete"}).get_data(as_text=True)
    assert "Atliktos 2 užduotys" in html and lithuanian(html) == []
    html = client.post(f"/tasks/{as_rep.tasks['fix_data'].id}/note", headers=HX,
                       data={"note": "Paskambino pats"}).get_data(as_text=True)
    assert "Pastaba išsaugota" in html and lithuanian(html) == []


def test_the_team_view_speaks_lithuanian_to_a_manager(world, client, factory):
    factory.time_off(world.mate, date(2026, 3, 3), days=4, note="Atostogos")
    factory.session.commit()
    assert login(client, world.boss.email).status_code == 302
    html = client.get("/tasks/team").get_data(as_text=True)
    assert lithuanian(html) == [] and "Komandos užduotys" in html and "Nebus iki" in html
    assert "vėluojanti" in html and "atvirų" in html  # 1 overdue; 15 open
    html = client.get(f"/tasks?owner={world.rep.id}").get_data(as_text=True)
    assert lithuanian(html) == [] and "Užduotys: Rūta Žemaitė" in html
    html = client.post("/tasks/reassign", headers=HX, data={"ids": [world.tasks["todo"].id],
                                                            "owner_id": world.mate.id}).get_data(as_text=True)
    assert "1 užduotis perduota: Tomas Petraitis" in html
    html = client.post("/tasks/reassign", headers=HX, data={"owner_id": world.mate.id}).get_data(as_text=True)
    assert "Neperduota: pirmiausia pažymėkite užduotis" in html and lithuanian(html) == []


def test_the_time_off_page_and_its_refusals_speak_lithuanian(as_rep, client, factory):
    html = client.get("/tasks/time-off").get_data(as_text=True)
    assert lithuanian(html) == [] and "Nebuvimas darbe" in html
    bad = client.post("/tasks/time-off", data={"starts_on": "2026-03-10", "ends_on": "2026-03-08",
                                               "time_off_tasks": "push", "time_off_emails": "wait"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert lithuanian(html) == [] and "turi būti ne anksčiau nei pirmoji diena" in html
    html = client.post("/tasks/time-off", data={"starts_on": "", "ends_on": ""}).get_data(as_text=True)
    assert "Pasirinkite abi dienas." in html
    ok = client.post("/tasks/time-off", data={"starts_on": "2026-03-10", "ends_on": "2026-03-13", "note": "Atostogos",
                                              "time_off_tasks": "push", "time_off_emails": "wait"},
                     follow_redirects=True)
    html = ok.get_data(as_text=True)
    assert lithuanian(html) == [] and "Nebuvimas išsaugotas" in html and "kovo 10" in html


@pytest.mark.parametrize(("n", "expected"), [
    (0, "0 užduočių su terminu šiandien"), (1, "1 užduotis su terminu šiandien"),
    (2, "2 užduotys su terminu šiandien"), (10, "10 užduočių su terminu šiandien"),
    (11, "11 užduočių su terminu šiandien"), (21, "21 užduotis su terminu šiandien"),
    (22, "22 užduotys su terminu šiandien"), (101, "101 užduotis su terminu šiandien")])
def test_tasks_due_today_take_the_lithuanian_plural_forms(n, expected):
    assert ngettext_in("lt", "%(num)d task due today", "%(num)d tasks due today", n) == expected
    assert ngettext_in("en", "%(num)d task due today", "%(num)d tasks due today", n).endswith(
        "task due today" if n == 1 else "tasks due today")


def test_a_bulk_count_on_the_page_agrees_with_its_number(as_rep, client):
    ids = [as_rep.tasks[k].id for k in ("todo", "task", "call", "fix_data", "linkedin_view")]
    html = client.post("/tasks/bulk", headers=HX, data={"ids": ids, "action": "skip"}).get_data(as_text=True)
    assert "Praleista 5 užduotys" not in html and "Praleistos 5 užduotys" in html


def test_the_scripts_get_the_three_lithuanian_forms_of_the_selection_count(as_rep, client):
    html = client.get("/tasks").get_data(as_text=True)
    catalog = json.loads(html.split('id="i18n-catalog"', 1)[1].split(">", 1)[1].split("</script>", 1)[0])
    assert catalog["messages"]["%(num)d selected"] == ["%(num)d pažymėta", "%(num)d pažymėtos", "%(num)d pažymėtų"]
    assert '<span id="bulk-count">0 pažymėtų</span>' in html


def test_a_manual_email_to_an_ended_enrolment_is_refused_in_lithuanian(as_rep, client, session):
    task = as_rep.tasks["manual_email"]
    session.get(Enrollment, task.enrollment_id).status = EnrollmentStatus.EXITED
    session.commit()
    refused = client.post(f"/tasks/{task.id}/email", data={"subject": "Sveiki", "body": "Laba diena"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "įtraukimo būsena: nutraukta" in html and lithuanian(html) == []
