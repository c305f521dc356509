"""Website forms in real Chromium: a visitor fills the hosted page (keyboard only) and the form embedded on a
page of another local origin; after the worker runs, each lead has its contact, owner, welcome email in the
SMTP sink, enrolment, speed-to-lead task, score and consent record."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rq import SimpleWorker
from sqlalchemy import select

from sequencer.forms import definitions
from sequencer.models import Enrollment, FormConsent, FormSubmission, Prospect, Task
from sequencer.models.mail import SmtpSecurity, Transport
from sequencer.models.tasks import TaskType
from sequencer.platform import queues
from tests.browser.conftest import wait_until
from tests.forms.helpers import make_form
from tests.support.smtp_sink import Sink
from workers.context import bind_app


@pytest.fixture
def app_config(app_config):
    return {**app_config, "FORM_MIN_FILL_SECONDS": 1}


@pytest.fixture
def sink() -> Iterator[Sink]:
    with Sink() as running:
        yield running


@pytest.fixture
def customer_site() -> Iterator[tuple[str, dict]]:
    """Another origin (localhost, another port) whose page embeds the form; the test sets its HTML."""
    content = {"html": ""}

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            body = content["html"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_port}", content
    server.shutdown()


def _fill_by_keyboard(page, values: list[str]) -> None:
    """Tab through the fields in order, typing each value; a checkbox is ticked with Space."""
    for value in values:
        page.keyboard.press("Tab")
        if value == "[x]":
            page.keyboard.press("Space")
        else:
            page.keyboard.type(value)


def test_hosted_and_embedded_forms_hand_the_lead_over(app, session, factory, browser, live_server, customer_site,
                                                      sink, redis_conn):
    site, content = customer_site
    manager = factory.user("manager")
    rep = factory.user("rep", name="Rita Rep")
    factory.mailbox(owner_id=rep.id, transport=Transport.SMTP, smtp_host="127.0.0.1", smtp_port=sink.port,
                    smtp_security=SmtpSecurity.NONE, min_interval_seconds=0)
    nurture = factory.sequence(steps=2, status="active", owner_id=manager.id)
    form = make_form(session, manager, [rep], allowed_origins=[site], sequence_id=nurture.id)
    content["html"] = ("<!doctype html><title>Acme</title><h1>Talk to us</h1>"
                       + definitions.urls(form, live_server)["embed_html"])

    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server}/f/{form.key}")
    assert page.get_by_label("Work email").is_visible()
    page.wait_for_timeout(1200)  # a person takes longer than the minimum fill time
    page.get_by_label("Work email").focus()
    page.keyboard.type("Hana.Hosted@Acme-Hosted.com")
    _fill_by_keyboard(page, ["Hana", "Hosted", "Acme", "CFO", "Lithuania", "Vilnius", "[x]", "12"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/thanks")
    assert "Thank you" in page.content()

    embedded = context.new_page()
    embedded.goto(f"{site}/?utm_source=newsletter")
    wait_until(embedded, "!!document.querySelector('form.sqf-form input[name=email]')")
    embedded.wait_for_timeout(1200)
    embedded.get_by_label("Work email").fill("erik.embed@acme-embedded.com")
    embedded.get_by_label("First name").fill("Erik")
    embedded.get_by_label("Country").fill("Latvia")
    embedded.get_by_label("I agree to be contacted about Acme.").check()
    embedded.get_by_role("button", name="Send").click()
    wait_until(embedded, "!!document.querySelector('.sqf-thanks')")
    context.close()

    bind_app(app)
    worker_queues = [queues.queue(n, redis_conn) for n in (queues.DEFAULT, queues.DISPATCH, queues.SEND)]
    SimpleWorker(worker_queues, connection=redis_conn).work(burst=True)
    session.expire_all()

    subs = {s.email: s for s in session.scalars(select(FormSubmission))}
    assert set(subs) == {"hana.hosted@acme-hosted.com", "erik.embed@acme-embedded.com"}
    assert subs["erik.embed@acme-embedded.com"].utm == {"utm_source": "newsletter"}
    assert subs["erik.embed@acme-embedded.com"].page_url.startswith(site)
    welcome_to = {m["To"].addresses[0].addr_spec for m in sink.handler.parsed() if m["Subject"] == "Your demo request"}
    assert welcome_to == set(subs)
    for email, sub in subs.items():
        assert sub.status == "processed", sub.handoff
        prospect = session.get(Prospect, sub.prospect_id)
        assert prospect.email == email and prospect.owner_id == rep.id
        assert prospect.score_engagement == 25
        assert set(session.scalars(select(Enrollment.sequence_id).where(Enrollment.prospect_id == prospect.id))) \
            == {form.welcome_sequence_id, nurture.id}
        task = session.get(Task, sub.task_id)
        assert task.type == TaskType.SPEED_TO_LEAD and task.owner_id == rep.id and email in task.instructions
        consent = session.scalars(select(FormConsent).where(FormConsent.submission_id == sub.id)).one()
        assert consent.text == "I agree to be contacted about Acme." and consent.action == "given"
    assert session.get(Prospect, subs["hana.hosted@acme-hosted.com"].prospect_id).timezone == "Europe/Vilnius"
