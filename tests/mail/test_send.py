"""Real SMTP to a local aiosmtpd: headers, encoding, threading, tracking, and the next step scheduled."""
from datetime import timedelta

from sqlalchemy import select

from sequencer.mail.compose import message_id_for
from sequencer.models import Event, StepRun, StepRunState
from sequencer.platform import clock


def _runs(session):
    session.expire_all()
    return session.scalars(select(StepRun).order_by(StepRun.position)).all()


def test_sends_a_personalised_multipart_message_once(session, sink, enrol, cycle, app):
    prospect = enrol(email="sarunas@grudu-baze-demo.com")
    passed, sent = cycle()
    assert sent.sent == 1 and passed.summary()["emails_claimed"] == 1
    (msg,) = sink.handler.parsed()
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg["Subject"] == "Sąskaitos Grūdų Bazė – Šarūnas"
    assert b"=?utf-8?q?" in sink.handler.messages[0].lower()  # RFC 2047 on the wire
    assert msg["From"].addresses[0].display_name == "Rūta Kazlauskaitė"
    assert msg["To"].addresses[0].addr_spec == "sarunas@grudu-baze-demo.com"
    first, second = _runs(session)
    assert msg["Message-ID"] == first.message_id == message_id_for(first.id, "kvitas-demo.com",
                                                                   app.config["SECRET_KEY"])
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<mailto:ruta@kvitas-demo.com?subject=unsubscribe>" in msg["List-Unsubscribe"]
    assert "http://sequencer.test/u/" in msg["List-Unsubscribe"]
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Sveiki, Šarūnas!" in text and "Sveiki, Šarūnas!" in html
    assert "/t/o/" in html and "/t/c/" in html and 'href="https://kvitas-demo.com/tour"' not in html
    assert "Unsubscribe" in text and "Rūta Kazlauskaitė" in text  # footer and signature
    assert first.state == StepRunState.SENT and first.subject == msg["Subject"] and first.body_html
    event = session.scalars(select(Event).where(Event.kind == "sent")).one()
    assert (event.step_run_id, event.variant_id, event.mailbox_id) == (first.id, first.variant_id,
                                                                       first.mailbox_id)
    # the threaded follow-up is scheduled one business day later, at the window start in Vilnius
    assert second.state == StepRunState.SCHEDULED
    assert second.due_at == clock.now().replace(hour=7) + timedelta(days=1)

    assert cycle()[1].sent == 0 and len(sink.handler.messages) == 1  # nothing twice
    assert prospect.id


def test_threaded_follow_up_replies_in_the_thread(session, sink, enrol, cycle):
    enrol()
    cycle()
    first, second = _runs(session)
    with clock.frozen(second.due_at):
        cycle()
    msgs = sink.handler.parsed()
    assert len(msgs) == 2
    assert msgs[1]["Subject"] == "Re: " + msgs[0]["Subject"]
    assert msgs[1]["In-Reply-To"] == msgs[0]["Message-ID"]
    assert msgs[1]["References"] == msgs[0]["Message-ID"]
    assert msgs[1]["Message-ID"] != msgs[0]["Message-ID"]
    assert _runs(session)[1].state == StepRunState.SENT
    assert session.get(StepRun, second.id).enrollment.status.value == "finished"


def test_prospect_values_are_escaped_in_html(session, sink, enrol, cycle):
    enrol(first_name="<script>alert(1)</script>")
    cycle()
    html = sink.handler.parsed()[0].get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_paused_or_exited_enrolment_is_not_sent(session, sink, enrol, cycle, world):
    from sequencer.outreach.enrollment import exit_enrollment, pause

    a = enrol()
    b = enrol()
    from sequencer.models import Enrollment

    ea = session.scalars(select(Enrollment).where(Enrollment.prospect_id == a.id)).one()
    eb = session.scalars(select(Enrollment).where(Enrollment.prospect_id == b.id)).one()
    pause(session, ea, clock.now())
    exit_enrollment(session, eb, clock.now(), "manual")
    session.commit()
    assert cycle()[1].sent == 0 and sink.handler.messages == []


def test_a_claim_that_reaches_the_worker_after_the_window_closed_waits(session, sink, enrol, cycle, app):
    import random

    from sequencer.mail.delivery import send_batch
    from sequencer.mail.sending import settings_for
    from sequencer.outreach.claims import claim_due_emails

    just_before = clock.now().replace(hour=14, minute=59)  # 16:59 in Vilnius: claimed inside the window
    with clock.frozen(just_before):
        enrol()
        (claim,) = claim_due_emails(session, clock.now(), random.Random(1))
    session.commit()
    late = just_before.replace(hour=15, minute=0, second=30)  # sent at 17:00:30, the window has closed
    with clock.frozen(late):
        result = send_batch(session, claim.mailbox_id, claim.run_ids, claim.token, settings_for(app.config))
    assert result.sent == 0 and sink.handler.messages == []
    run = _runs(session)[0]
    assert run.state == StepRunState.SCHEDULED
    assert run.due_at == just_before.replace(hour=7, minute=0) + timedelta(days=1)  # Tuesday 09:00 in Vilnius
    assert run.why_waiting.startswith("outside window, opens Tue 09:00")
