"""The Outbox, mailbox settings (with OAuth), Deliverability and Webhooks speak Lithuanian to a Lithuanian user,
with data and without, after refusals too; the emails Sequencer writes to its own users follow their language."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from sequencer.mail import notify
from sequencer.mail.sending import settings_for
from sequencer.models import DomainCheck, Event, StepRunState, Task, WebhookDelivery, Workspace
from sequencer.models.mail import MailboxAuth, MailboxStatus, SmtpSecurity, Transport
from sequencer.platform import clock
from sequencer.platform.i18n import ngettext_in
from sequencer.platform.security import SecretBox
from sequencer.webhooks import endpoints
from sequencer.webhooks.delivery import DISABLED_FOR_FAILING
from sequencer.webhooks.guard import AllowList
from sequencer.webhooks.owner_mail import email_owner
from sequencer.webhooks.pump import fan_out
from tests.conftest import csrf_token_from, login
from tests.i18n.support import english_words_in
from tests.support.smtp_sink import Sink

NOW = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)  # a Wednesday


def own_part(html: str) -> str:
    """The whole page: every area is merged, so the navigation around it is checked too."""
    return html


def lithuanian(response, status: int = 200) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == status, html[:500]
    leftovers = english_words_in(own_part(html))
    assert leftovers == [], leftovers
    return html


@pytest.fixture
def lt_admin(client, factory, session):
    user = factory.user("admin", locale="lt", name="Rūta Žemaitė", email="ruta@imone.lt")
    session.commit()
    login(client, user.email)
    return user


@pytest.fixture
def frozen():
    with clock.frozen(NOW):
        yield NOW


@pytest.fixture
def outbox_world(factory, session, frozen):
    seller = factory.user("rep", name="Tomas Petraitis")
    box = factory.mailbox(email="tomas@imone.lt", owner_id=seller.id, daily_limit=40)
    seq = factory.sequence(steps=1, name="Pavasario kampanija")
    runs = {}
    for key, first, state in (("sent", "Ona", StepRunState.SENT), ("uncertain", "Jonas", StepRunState.UNCERTAIN),
                              ("failed", "Eglė", StepRunState.FAILED), ("scheduled", "Rimas", StepRunState.SCHEDULED),
                              ("held", "Aušra", StepRunState.HELD)):
        prospect = factory.prospect(first_name=first, last_name="Kazlauskienė", email=f"kontaktas{len(runs)}@klientas.lt")
        enrollment = factory.enrollment(prospect=prospect, sequence=seq, mailbox_id=box.id)
        runs[key] = factory.step_run(enrollment, seq.steps[0], mailbox_id=box.id, state=state,
                                     due_at=NOW + timedelta(days=2 if key in ("scheduled", "held") else -1),
                                     sent_at=NOW - timedelta(hours=3) if key == "sent" else None,
                                     send_started_at=NOW - timedelta(hours=2) if key == "uncertain" else None,
                                     attempt=3 if key == "failed" else 1, subject="Susitikimas dėl pasiūlymo",
                                     body_html="<p>Laba diena, Ona</p>", body_text="Laba diena, Ona")
    session.flush()
    run = runs["sent"]
    session.add(Event(kind="opened", prospect_id=run.enrollment.prospect_id, sequence_id=seq.id, step_id=run.step_id,
                      step_run_id=run.id, occurred_at=NOW))
    session.commit()
    return runs


def test_the_outbox_speaks_lithuanian_empty_and_full(client, lt_admin, frozen, factory, session):
    html = lithuanian(client.get("/outbox"))
    assert "Dar nieko neišsiųsta." in html and "0 laiškų" in html
    lithuanian(client.get("/outbox?view=scheduled"))
    lithuanian(client.get("/outbox?q=niekas"))


def test_sent_attention_and_scheduled_rows_in_lithuanian(client, lt_admin, outbox_world):
    html = lithuanian(client.get("/outbox"))
    assert "Reikia dėmesio" in html and "1 laiškas" in html and "po 3 bandymų" in html
    assert "2 laiškai laukia sprendimo" in html and "Atidarė" in html
    html = lithuanian(client.get("/outbox?view=scheduled"))
    assert "laukia savo dienos ir siuntimo lango" in html and "2 laiškai" in html
    assert "penktadienis" in html or "pn" in html.lower()  # the weekday in Lithuanian (11 Dec 2026 is a Friday)
    html = lithuanian(client.get(f"/outbox/{outbox_world['sent'].id}"))
    assert "Grynojo teksto turinys" in html and "1 žingsnis" in html


def test_answering_an_attention_row_in_lithuanian(client, lt_admin, outbox_world):
    token = csrf_token_from(client.get("/outbox").get_data(as_text=True))
    run = outbox_world["uncertain"]
    response = client.post(f"/outbox/attention/{run.id}/mark-sent", data={"csrf_token": token},
                           headers={"HX-Request": "true"})
    html = lithuanian(response)
    assert "Pažymėta išsiųstu" in html and "paskutinis žingsnis" in html


def test_a_page_past_the_end_says_so_in_lithuanian(client, lt_admin, frozen, factory, session):
    seq, box = factory.sequence(steps=1, name="Ruduo"), factory.mailbox()
    for n in range(101):
        enrollment = factory.enrollment(prospect=factory.prospect(first_name="Ona", last_name=f"Nr{n}",
                                                                 email=f"ona{n}@klientas.lt"),
                                        sequence=seq, mailbox_id=box.id)
        factory.step_run(enrollment, mailbox_id=box.id, state=StepRunState.SENT, sent_at=NOW, subject="Sveiki")
    session.commit()
    html = lithuanian(client.get("/outbox?page=3"))
    assert "3 puslapis iš 3" in html and "iš viso 101" in html and "Ankstesnis" in html
    past = client.get("/outbox?page=99")
    assert past.status_code == 404
    assert "Šiame sąraše nėra 99 puslapio: jame yra 3 puslapiai." in past.get_data(as_text=True)


@pytest.mark.parametrize(("n", "messages", "answers"), [
    (0, "0 laiškų", "0 laiškų laukia sprendimo"), (1, "1 laiškas", "1 laiškas laukia sprendimo"),
    (2, "2 laiškai", "2 laiškai laukia sprendimo"), (10, "10 laiškų", "10 laiškų laukia sprendimo"),
    (11, "11 laiškų", "11 laiškų laukia sprendimo"), (21, "21 laiškas", "21 laiškas laukia sprendimo"),
    (22, "22 laiškai", "22 laiškai laukia sprendimo"), (101, "101 laiškas", "101 laiškas laukia sprendimo")])
def test_counts_take_the_right_lithuanian_form(app, n, messages, answers):
    assert ngettext_in("lt", "%(num)d message", "%(num)d messages", n) == messages
    assert ngettext_in("lt", "%(num)d needs an answer", "%(num)d need an answer", n) == answers
    assert ngettext_in("en", "%(num)d message", "%(num)d messages", n) == f"{n} message{'s' if n != 1 else ''}"


def _mailbox_form(**kw) -> dict:
    return {"email": "ona@imone.lt", "name": "Ona", "transport": "smtp", "smtp_host": "", "smtp_port": "587",
            "smtp_security": "starttls", "daily_limit": "100", "min_interval_seconds": "60", "owner_id": "", **kw}


def test_mailbox_settings_in_lithuanian_with_a_refused_save(client, lt_admin, factory, session, frozen):
    html = lithuanian(client.get("/settings/mailboxes"))
    assert "Pašto dėžučių dar nėra." in html and "Prijunkite „Google“ arba „Microsoft“ pašto dėžutę" in html
    factory.mailbox(email="pristabdyta@imone.lt", status=MailboxStatus.PAUSED, consecutive_failures=3,
                    transport=Transport.SMTP, smtp_host="smtp.imone.lt", smtp_port=587, imap_host="imap.imone.lt")
    session.commit()
    token = csrf_token_from(client.get("/settings/mailboxes").get_data(as_text=True))
    html = lithuanian(client.post("/settings/mailboxes", data={"csrf_token": token, **_mailbox_form()}), 422)
    assert "privalomas SMTP perdavimui" in html and "3 nepavykę prisijungimai iš eilės." in html
    html = lithuanian(client.post("/settings/mailboxes/oauth/google/connect",
                                  data={"csrf_token": token, "email": "ona@imone.lt", "name": "O" * 300}), 422)
    assert "turi būti ne ilgesnis kaip" in html


def test_a_mailbox_edit_page_in_lithuanian(client, lt_admin, factory, session, frozen):
    box = factory.mailbox(email="ona@imone.lt", transport=Transport.SMTP, smtp_host="smtp.imone.lt", smtp_port=587,
                          imap_host="imap.imone.lt", imap_checked_at=NOW, status=MailboxStatus.PAUSED)
    session.add_all([Event(kind="sent", occurred_at=NOW - timedelta(days=1), mailbox_id=box.id) for _ in range(3)])
    session.commit()
    html = lithuanian(client.get(f"/settings/mailboxes/{box.id}"))
    assert "Siųsti bandomąjį laišką" in html and "Pristabdė administratorius." in html
    assert "antradienis" in html.lower() or "an" in html  # the per-day table's weekday in Lithuanian
    token = csrf_token_from(html)
    html = lithuanian(client.post(f"/settings/mailboxes/{box.id}", data={"csrf_token": token,
                                                                         **_mailbox_form(daily_limit="x")}), 422)
    assert "turi būti sveikasis skaičius" in html


def test_the_oauth_reconnect_page_in_lithuanian(client, lt_admin, factory, session):
    box = factory.mailbox(email="ona@imone.lt", auth=MailboxAuth.OAUTH_GOOGLE, transport=Transport.SMTP,
                          smtp_host="smtp.gmail.com", smtp_port=587, owner_id=lt_admin.id)
    session.commit()
    html = lithuanian(client.get(f"/mailboxes/{box.id}/reconnect"))
    assert "Vėl prisijungti per Google" in html


@pytest.fixture
def delivery_world(factory, session, frozen):
    owner = factory.user("rep", name="Ona Jankauskienė")
    factory.mailbox(email="ona@imone.lt", owner_id=owner.id, transport=Transport.SMTP, smtp_host="smtp.gmail.com",
                    warmup_started_on=date(2026, 12, 7), daily_limit=40, awaiting_domain_check=True)
    paused = factory.mailbox(email="jonas@imone.lt", status=MailboxStatus.PAUSED)
    session.add(DomainCheck(kind="sending", domain="imone.lt", passed=False, checked_at=NOW,
                            problems=["no DMARC record: Gmail and Yahoo will reject bulk mail from imone.lt"],
                            records={"provider": "google", "spf": ["v=spf1 include:_spf.google.com ~all"]}))
    session.commit()
    return paused


def test_the_deliverability_page_with_findings_in_lithuanian(client, lt_admin, delivery_world):
    html = lithuanian(client.get("/deliverability"))
    assert "nėra DMARC įrašo: „Gmail“ ir „Yahoo“ atmes masinius imone.lt laiškus" in html
    assert "1 problema" in html and "Pirmasis laiškas sulaikytas" in html
    html = lithuanian(client.get(f"/deliverability?mailbox={delivery_world.id}"))
    assert "Paskutinės 14 dienų" in html and "Visu greičiu" in html


def test_deliverability_flashes_in_lithuanian(client, lt_admin, delivery_world, session):
    token = csrf_token_from(client.get("/deliverability").get_data(as_text=True))
    html = lithuanian(client.post(f"/deliverability/mailboxes/{delivery_world.id}/resume",
                                  data={"csrf_token": token}, follow_redirects=True))
    assert "jonas@imone.lt vėl siunčia laiškus." in html
    html = lithuanian(client.post("/deliverability/tracking", data={"csrf_token": token, "tracking_domain": "x y"},
                                  follow_redirects=True))
    assert "turi būti serverio vardas" in html


def test_webhooks_list_and_detail_in_lithuanian(app, client, lt_admin, factory, session):
    html = lithuanian(client.get("/settings/webhooks"))
    assert "Webhook dar nėra." in html
    token = csrf_token_from(html)
    html = lithuanian(client.post("/settings/webhooks", data={"csrf_token": token, "url": "ftp://imone.lt/x",
                                                              "events": "deal.*"}), 422)
    assert "URL turi būti absoliutus https:// URL" in html
    app.config["WEBHOOK_ALLOWED_PRIVATE"] = "127.0.0.1"
    created = client.post("/settings/webhooks", data={"csrf_token": token, "url": "http://127.0.0.1:9/h",
                                                      "events": "*", "description": "Mūsų CRM"})
    html = lithuanian(client.get(created.headers["Location"]))
    assert "Webhook pridėtas" in html and "Pristatymų dar nėra." in html
    factory.prospect(first_name="Jonas", last_name="Jonaitis")
    session.commit()
    fan_out(session, clock.now())
    session.commit()
    html = lithuanian(client.get(created.headers["Location"]))
    assert "0 bandymų" in html and "Laukia" in html
    lithuanian(client.get(created.headers["Location"] + "?status=failed"))
    lithuanian(client.get("/settings/webhooks"))
    assert session.scalars(select(WebhookDelivery)).first() is not None


# ---- emails Sequencer writes to its own users -------------------------------------------------------------

def _message(envelope):
    return message_from_bytes(envelope.content, policy=policy.default)


def test_the_mailbox_test_email_follows_the_recipients_language(client, lt_admin, factory, session):
    with Sink() as sink:
        box = factory.mailbox(email="ona@imone.lt", transport=Transport.SMTP, smtp_host="127.0.0.1",
                              smtp_port=sink.port, smtp_security=SmtpSecurity.NONE)
        session.commit()
        token = csrf_token_from(client.get(f"/settings/mailboxes/{box.id}").get_data(as_text=True))
        html = lithuanian(client.post(f"/settings/mailboxes/{box.id}/test", data={"csrf_token": token,
                                      "to": lt_admin.email}, headers={"HX-Request": "true"}))
        assert "priėmė" in html
        client.post(f"/settings/mailboxes/{box.id}/test", data={"csrf_token": token, "to": "kitas@niekur.lt"},
                    headers={"HX-Request": "true"})
    to_user, to_outsider = (_message(e) for e in sink.handler.envelopes)
    assert to_user["Subject"] == "Sequencer bandomasis laiškas"
    assert "Tai Sequencer bandomasis laiškas" in to_user.get_content()
    assert to_outsider["Subject"] == "Sequencer test email"  # no such user: the workspace's language (English)


def test_the_task_email_and_the_webhook_notice_reach_an_lt_user_in_lithuanian(app, factory, session):
    owner = factory.user("manager", locale="lt", name="Ona Jankauskienė")
    task = factory.task(owner_id=owner.id, title="Paskambinti Jonui", instructions="Aptarkite pasiūlymą.")
    endpoint, _secret = endpoints.create(session, owner, {"url": "http://127.0.0.1:9/h", "events": ["*"]},
                                         AllowList.parse("127.0.0.1"), SecretBox(app.config["SECRET_KEY"]), NOW)
    endpoint.enabled, endpoint.disabled_reason = False, DISABLED_FOR_FAILING
    with Sink() as sink:
        factory.mailbox(email="ona@imone.lt", owner_id=owner.id, transport=Transport.SMTP, smtp_host="127.0.0.1",
                        smtp_port=sink.port, smtp_security=SmtpSecurity.NONE)
        session.commit()
        assert notify.email_stale_owner(session, task.id, settings_for(app.config)) is True
        assert email_owner(session, endpoint.id, settings_for(app.config)) is True
    reminder, notice = (_message(e) for e in sink.handler.envelopes)
    assert reminder["Subject"] == "Paskambinti Jonui"
    assert reminder.get_content().startswith("Sveiki, Ona Jankauskienė,")
    assert "Ją rasite savo užduočių eilėje „Sequencer“." in reminder.get_content()
    assert notice["Subject"] == "Webhook išjungtas po penkių dienų nepavykusių pristatymų"
    assert "penkias dienas nepavyko pristatyti" in notice.get_content()


def test_a_user_without_a_language_gets_the_workspaces(app, factory, session):
    session.scalars(select(Workspace)).first() or session.add(Workspace(id=1))
    session.flush()
    session.scalars(select(Workspace)).one().default_locale = "lt"
    owner = factory.user("rep", name="Jonas")
    task = factory.task(owner_id=owner.id, title="Paskambinti", instructions="Trumpai.")
    session.commit()
    with Sink() as sink:
        factory.mailbox(owner_id=owner.id, transport=Transport.SMTP, smtp_host="127.0.0.1", smtp_port=sink.port,
                        smtp_security=SmtpSecurity.NONE)
        session.commit()
        assert notify.email_stale_owner(session, task.id, settings_for(app.config)) is True
    [envelope] = sink.handler.envelopes
    assert "Ją rasite savo užduočių eilėje „Sequencer“." in _message(envelope).get_content()
    assert session.scalars(select(Task)).one().owner_id == owner.id
