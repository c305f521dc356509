"""Reports, goals and deals in Lithuanian: every page (empty, populated, refused), counts, money, dates and the
emails Sequencer writes to its own users (the goals summary, the stale-deal reminder) in the recipient's language."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from sequencer.accounts.workspace import get_workspace
from sequencer.deals.stale import create_reminders
from sequencer.goals.service import create_goal
from sequencer.goals.summary import send_monday_summaries
from sequencer.mail.sending import settings_for
from sequencer.models import Goal, Task
from sequencer.models.mail import SmtpSecurity, Transport
from sequencer.models.tasks import TaskType
from sequencer.platform import clock
from sequencer.platform.i18n import ngettext_in
from tests.conftest import login
from tests.goals.seed import contacts
from tests.i18n.support import english_words_in
from tests.reports.helpers import ab_sequence, event, sent_run
from tests.support.smtp_sink import Sink
from workers import jobs
from workers.context import bind_app

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
CREATED = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)  # 9 quiet days: stale in proposal (5)


STEP_CHIP = re.compile(r'<span class="chip [^"]*" title="[^"]*"><span class="ico">[^<]*</span>[^<]*</span>')


def _plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


def _lt(client, factory, role: str, name: str = "Rūta Žemaitė"):
    user = factory.user(role, locale="lt", name=name)
    login(client, user.email)
    return user


def _own(html: str) -> str:
    """The whole page: every area is merged, so the navigation around it is checked too."""
    return html


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    html = response.get_data(as_text=True)
    assert english_words_in(_own(html)) == [], (url, english_words_in(_own(html)))
    return html


def _lithuanian(html: str) -> None:
    assert english_words_in(_own(html)) == [], english_words_in(_own(html))


def _deal(factory, owner, stage: str, name: str, amount: int, **kw):
    company = factory.company(name=f"UAB „{name}“")
    prospect = factory.prospect(first_name="Jonas", last_name="Petraitis", company=company, owner_id=owner.id)
    return factory.opportunity(stage, owner=owner, prospect=prospect, name=name, amount=Decimal(amount),
                               currency="EUR", **kw)


@pytest.fixture
def deals(factory, session):
    owner = factory.user("rep", name="Tomas Kazlauskas")
    quiet = _deal(factory, owner, "proposal", "Ramus sandoris", 1_200_000, created_at=CREATED,
                  close_date=date(2026, 12, 18))
    _deal(factory, owner, "qualification", "Naujas sandoris", 4_500, created_at=NOW - timedelta(days=1))
    _deal(factory, owner, "closed_lost", "Prarastas sandoris", 9_000, created_at=CREATED,
          closed_at=NOW - timedelta(days=2), lost_reason="No budget")
    _deal(factory, owner, "closed_won", "Laimėtas sandoris", 30_000, created_at=CREATED - timedelta(days=30),
          closed_at=NOW - timedelta(days=3))
    session.commit()
    return quiet


def test_the_pipeline_pages_empty_then_full_are_lithuanian(client, factory, session):
    clock.freeze(NOW)
    _lt(client, factory, "manager")
    for url in ("/pipeline", "/pipeline/list", "/pipeline/rules", "/reports/pipeline"):
        _page(client, url)
    owner = factory.user("rep", name="Tomas Kazlauskas")
    _deal(factory, owner, "proposal", "Ramus sandoris", 1_200_000, created_at=CREATED)
    _deal(factory, owner, "closed_lost", "Prarastas sandoris", 9_000, created_at=CREATED,
          closed_at=NOW - timedelta(days=2), lost_reason="No budget")
    session.commit()
    board = _plain(_page(client, "/pipeline"))
    assert "1 200 000 €" in board and "Sustojęs nuo" in board and "Nėra biudžeto" in board
    assert "Jokios veiklos 9 d." in board
    listing = _plain(_page(client, "/pipeline/list"))
    assert "Atitinka 2 sandoriai" in listing
    _page(client, "/pipeline/list?stale=true&status=open")
    reports = _plain(_page(client, "/reports/pipeline"))
    assert "2 sandoriai · sumos EUR" in reports and "Nėra biudžeto" in reports


def test_a_deal_page_its_edit_form_and_a_refused_save_are_lithuanian(client, factory, session, deals):
    clock.freeze(NOW)
    _lt(client, factory, "manager")
    page = _plain(_page(client, f"/opportunities/{deals.id}"))
    assert "1 200 000 €" in page and "gruodžio 18" in page and "Biudžetas" in page
    _page(client, f"/opportunities/{deals.id}?edit=1")
    response = client.post(f"/opportunities/{deals.id}", data={"name": "Ramus sandoris", "amount": "daug",
                                                               "currency": "EUR"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    _lithuanian(html)
    assert "turi būti skaičius" in html
    moved = client.post(f"/opportunities/{deals.id}/stage", data={"stage": "closed_lost"}, follow_redirects=True)
    _lithuanian(moved.get_data(as_text=True))
    noted = client.post(f"/opportunities/{deals.id}/note", data={"kind": "note", "text": "Skambino vadovas"},
                        follow_redirects=True)
    noted_html = noted.get_data(as_text=True)
    _lithuanian(noted_html)
    assert "Veikla įrašyta." in noted_html and "Skambino vadovas" in noted_html


def test_a_suggested_reason_picked_in_lithuanian_is_stored_in_english(client, factory, session, deals):
    _lt(client, factory, "manager")
    client.post(f"/opportunities/{deals.id}/stage", data={"stage": "closed_lost", "lost_reason": "Per didelė kaina"})
    session.refresh(deals)
    assert deals.lost_reason == "Price too high"
    page = _page(client, f"/opportunities/{deals.id}")
    assert "Per didelė kaina" in page
    typed = factory.opportunity("proposal", name="Kitas sandoris", prospect=deals.prospect)
    session.commit()
    client.post(f"/opportunities/{typed.id}/stage", data={"stage": "closed_lost", "lost_reason": "Išėjo vadovas"})
    session.refresh(typed)
    assert typed.lost_reason == "Išėjo vadovas"


def test_stale_rules_with_a_refused_save_are_lithuanian(client, factory, session):
    _lt(client, factory, "manager")
    response = client.post("/pipeline/rules", data={"proposal": "999", "negotiation": "abc"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    _lithuanian(html)
    assert "dienų skaičius turi būti sveikasis skaičius nuo 1 iki 365" in html
    saved = client.post("/pipeline/rules", data={"proposal": "7"}, follow_redirects=True).get_data(as_text=True)
    _lithuanian(saved)
    assert "Sustojimo taisyklės išsaugotos." in saved


def _ab(factory, session):
    persona = factory.persona("cfo", name="Finansų vadovas")
    seq = ab_sequence(session)
    seq.name = "Rudens kampanija"
    a, b = seq.steps[0].variants
    for i in range(6):
        run = sent_run(session, seq, factory.prospect(persona_id=persona.id, first_name="Ona",
                                                     last_name="Jankauskienė"), 1, a if i % 2 else b)
        if i == 0:
            event(session, "replied", run, sentiment="positive")
    session.commit()
    return seq


def test_reports_activity_per_rep_and_an_ab_report_with_its_winner_are_lithuanian(client, factory, session):
    _lt(client, factory, "manager")
    for url in ("/reports", "/reports/reps", "/reports?from=2020-01-01&to=2020-01-31"):
        _page(client, url)
    seq = _ab(factory, session)
    _page(client, "/reports")
    _page(client, "/reports/reps?from=2026-10-26&to=2026-11-15")
    report = _page(client, f"/reports/sequences/{seq.id}")
    assert "1 žingsnis · A/B testas" in report and "Kol kas per mažai duomenų sprendimui." in report
    assert "Baigti šį testą ir paskelbti" in report  # the confirmation before declaring a winner
    refused = client.post(f"/reports/sequences/{seq.id}/steps/1/experiment",
                          data={"primary_metric": "reply", "min_sample": "5", "holdout_pct": "90"},
                          follow_redirects=True).get_data(as_text=True)
    _lithuanian(refused)
    assert "mažiausia imtis" in refused
    b = seq.steps[0].variants[1]
    won = client.post(f"/reports/sequences/{seq.id}/steps/1/winner", data={"variant_id": str(b.id), "override": "on"},
                      follow_redirects=True).get_data(as_text=True)
    _lithuanian(won)
    assert "B variantas – 1 žingsnio laimėtojas" in won and "Laimėjo B variantas." in won
    assert "paskelbė vadovas" in won


def test_a_rep_sees_their_own_reports_in_lithuanian(client, factory, session):
    _lt(client, factory, "rep")
    for url in ("/reports", "/reports/reps", "/reports/pipeline"):
        _page(client, url)


ASSUME = {"average_deal": 10_000, "cycle_days": 0, "reply": 0.1, "meeting": 1, "opportunity": 1, "qualification": 1,
          "needs_analysis": 1, "proposal": 1, "negotiation": 1, "won": 1, "first_contact": 0.5}
FORM = {"name": "Šių metų planas", "period_start": "2027-01-01", "period_end": "2027-12-31", "target_kind": "amount",
        "target": "1200000", "currency": "EUR", "owner_id": "", "rate_reply": "10", "average_deal": "30000",
        "weights": "", "window_days": "365"}


def test_goals_list_detail_kpis_and_review_are_lithuanian(client, factory, session):
    clock.freeze(datetime(2027, 3, 10, 15, 0, tzinfo=UTC))
    _lt(client, factory, "manager")
    factory.user("rep", name="Tomas Kazlauskas")
    session.commit()
    for url in ("/goals", "/kpis", "/goals/review", "/goals/review?quarter=2027-Q2"):
        _page(client, url)
    refused = client.post("/goals", data={**FORM, "rate_reply": "250", "period_end": "2025-01-01"})
    assert refused.status_code == 422
    _lithuanian(refused.get_data(as_text=True))
    assert client.post("/goals", data=FORM).status_code == 302
    goal = session.query(Goal).one()
    listing = _plain(_page(client, "/goals"))
    assert "1 200 000 €" in listing
    detail = _page(client, f"/goals/{goal.id}")
    assert "Planas, sudarytas atgaline tvarka" in detail and "Pirmas kontaktas → atsakymas" in detail
    _page(client, "/kpis?from=2027-01-01&to=2027-03-10")
    saved = client.post("/kpis/costs", data={"month": "2027-02", "amount": "1500", "currency": "EUR"},
                        follow_redirects=True).get_data(as_text=True)
    _lithuanian(saved)
    assert "vasario" in saved.lower() or "vasaris" in saved.lower()
    review = _page(client, "/goals/review?quarter=2027-Q1")
    assert "Prognozė ir faktas" in review and "2027 m. sausis" in review


def test_a_rep_behind_pace_reads_the_banner_in_lithuanian(client, factory, session, redis_conn):
    wednesday = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
    rep = _lt(client, factory, "rep", name="Tomas Kazlauskas")
    manager = factory.user("manager")
    redis_conn.delete(f"goals:behind:{rep.id}")
    with clock.frozen(wednesday):
        create_goal(session, manager, {"name": "Sprintas", "period_start": date(2026, 12, 7),
                                       "period_end": date(2026, 12, 31), "target_deals": 20, "owner_id": rep.id,
                                       "assumptions": {"average_deal": 1000, "cycle_days": 0}}, wednesday)
        session.commit()
        html = client.get("/tasks").get_data(as_text=True)
        goal_page = _page(client, f"/goals/{session.query(Goal).one().id}")
    redis_conn.delete(f"goals:behind:{rep.id}")
    assert "šią savaitę atsiliekama" in html and "(Sprintas)" in html and "Žiūrėti planą" in html
    assert "šią savaitę atsiliekama" in goal_page


@pytest.mark.parametrize(("n", "expected"), [
    (0, "Atitinka 0 sandorių"), (1, "Atitinka 1 sandoris"), (2, "Atitinka 2 sandoriai"),
    (10, "Atitinka 10 sandorių"), (11, "Atitinka 11 sandorių"), (21, "Atitinka 21 sandoris"),
    (22, "Atitinka 22 sandoriai"), (101, "Atitinka 101 sandoris")])
def test_deal_counts_take_the_right_lithuanian_form(n, expected):
    assert ngettext_in("lt", "%(num)d deal matching", "%(num)d deals matching", n) == expected


@pytest.mark.parametrize(("n", "form"), [(0, "pirmų kontaktų"), (1, "pirmu kontaktu"), (2, "pirmais kontaktais"),
                                         (10, "pirmų kontaktų"), (11, "pirmų kontaktų"), (21, "pirmu kontaktu"),
                                         (22, "pirmais kontaktais"), (101, "pirmu kontaktu")])
def test_behind_pace_counts_take_the_right_lithuanian_form(n, form):
    text = ngettext_in("lt", "%(num)d first contact behind this week", "%(num)d first contacts behind this week", n)
    assert text == f"šią savaitę atsiliekama {n} {form}"


def test_the_deals_list_page_counts_in_lithuanian(client, factory, session):
    _lt(client, factory, "manager")
    owner = factory.user("rep", name="Tomas Kazlauskas")
    for i in range(21):
        _deal(factory, owner, "proposal", f"Sandoris {i}", 1000)
    session.commit()
    assert "Atitinka 21 sandoris" in _page(client, "/pipeline/list")


def test_the_monday_goals_summary_reaches_a_lithuanian_manager_in_lithuanian(app, session, factory):
    rep = factory.user("rep", name="Tomas Kazlauskas")
    manager = factory.user("manager", locale="lt", name="Rūta Žemaitė")
    create_goal(session, manager, {"name": "Kovas", "period_start": date(2027, 3, 1), "period_end": date(2027, 3, 31),
                                   "target_deals": 2, "owner_id": rep.id, "assumptions": ASSUME},
                datetime(2027, 3, 10, 15, 0, tzinfo=UTC))
    contacts(factory, rep, 4, at=datetime(2027, 3, 2, 10, tzinfo=UTC), touches_each=2)
    with Sink() as sink:
        factory.mailbox(owner_id=manager.id, email="vadove@sequencer.test", transport=Transport.SMTP,
                        smtp_host="127.0.0.1", smtp_port=sink.port, smtp_security=SmtpSecurity.NONE)
        session.commit()
        assert send_monday_summaries(session, datetime(2027, 3, 15, 7, 0, tzinfo=UTC), settings_for(app.config)) == 1
    [msg] = sink.handler.parsed()
    body = msg.get_content()
    assert msg["Subject"] == "Tikslai: savaitės nuo 2027 m. kovo 8 d. tempas"
    assert body.startswith("Sveiki, Rūta Žemaitė,")
    assert "Kovas (2027 m. kovo 1 d. – 2027 m. kovo 31 d.)" in body
    assert "pirmi kontaktai: atlikta 4" in body and "šią savaitę atsiliekama" in body and "mažiau kontaktų" in body
    assert "skiltyje „Tikslai“" in body


def test_the_stale_reminder_reaches_a_lithuanian_owner_in_lithuanian(app, session, factory):
    owner = factory.user("rep", locale="lt", name="Tomas Kazlauskas")
    opp = _deal(factory, owner, "proposal", "Ramus sandoris", 48_000, created_at=CREATED)
    session.commit()
    create_reminders(session, NOW)
    session.commit()
    task = session.query(Task).filter_by(type=TaskType.STALE_OPPORTUNITY).one()
    assert task.title == "Sustojęs sandoris: Ramus sandoris"
    with Sink() as sink:
        factory.mailbox(owner_id=opp.owner_id, transport=Transport.SMTP, smtp_host="127.0.0.1",
                        smtp_port=sink.port, smtp_security="none")
        session.commit()
        bind_app(app)
        assert jobs.email_stale_owner(task.id) == 1
    [msg] = sink.handler.parsed()
    body = msg.get_content()
    assert msg["Subject"] == "Sustojęs sandoris: Ramus sandoris"
    assert body.startswith("Sveiki, Tomas Kazlauskas,")
    assert "Jokios veiklos 9 d. (paskutinė: sukurtas sandoris); etapo „pasiūlymas“ sandoriai sustoja po 5 d." in body
    assert "Ją rasite savo užduočių eilėje" in body


def test_an_english_owner_in_a_lithuanian_workspace_follows_the_workspace(app, session, factory):
    get_workspace(session).default_locale = "lt"
    owner = factory.user("rep", name="Tomas Kazlauskas")
    _deal(factory, owner, "proposal", "Ramus sandoris", 48_000, created_at=CREATED)
    session.commit()
    create_reminders(session, NOW)
    session.commit()
    assert session.query(Task).filter_by(type=TaskType.STALE_OPPORTUNITY).one().title.startswith("Sustojęs sandoris")
