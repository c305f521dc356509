"""One-off emails (issue 23): the rules every door shares, a real send through the SMTP sink, and at-most-once."""
from __future__ import annotations

from datetime import timedelta

import pytest
from rq import SimpleWorker
from sqlalchemy import func, select

from sequencer.accounts.workspace import get_workspace
from sequencer.errors import Conflict, Forbidden, Invalid
from sequencer.mail.one_off import create
from sequencer.mail.one_off_send import send
from sequencer.mail.sending import dispatch_and_send, settings_for
from sequencer.models import Event, OneOffEmail, OneOffState, ProspectStatus
from sequencer.models.mail import MailboxStatus
from sequencer.people.suppression.rules import suppress_email
from sequencer.platform import queues
from tests.support.smtp_sink import ScriptedHandler, Sink
from workers import jobs
from workers.context import bind_app

BODY = "Hi {{ prospect.first_name }},\n\nShall we talk on Thursday? The tour: https://kvitas-demo.com/tour"


@pytest.fixture
def prospect(factory, session, world):
    p = factory.prospect(first_name="Ona", last_name="Petraitė", email="ona@grudai.example",
                         owner_id=world["rep"].id, company=factory.company(name="Grūdų Bazė"))
    session.commit()
    return p


@pytest.fixture
def write(app, session, world, prospect, now):
    """`write(**overrides)`: the rep's one-off through the service, committed (refusals roll back)."""
    def _write(**kw):
        args = {"prospect": prospect, "user": world["rep"], "mailbox_id": world["mailbox"].id,
                "subject": "Quick question, {{ prospect.first_name }}", "body": BODY, **kw}
        try:
            row = create(session, args["prospect"], args["user"], args["mailbox_id"], args["subject"], args["body"],
                         base_url=app.config["BASE_URL"], secret=app.config["SECRET_KEY"], now=now)
        except Exception:
            session.rollback()
            raise
        session.commit()
        return row
    return _write


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(OneOffEmail))


@pytest.mark.parametrize("overrides, error, says", [
    ({"subject": "  "}, Invalid, "give it a subject"),
    ({"body": ""}, Invalid, "write the email"),
    ({"body": "Hi,\n\n[One line about their company]\n\nThanks"}, Invalid, "replace the placeholder"),
    ({"subject": "[Your subject here]"}, Invalid, "replace the placeholder"),
    ({"body": "Hi {{ prospect.nope }"}, Invalid, "cannot be rendered"),
    ({"mailbox_id": None}, Invalid, "choose a mailbox"),
    ({"mailbox_id": 999999}, Invalid, "choose a mailbox"),
])
def test_bad_input_is_refused_in_words_and_nothing_is_saved(write, session, overrides, error, says):
    with pytest.raises(error) as caught:
        write(**overrides)
    assert says in str(caught.value.details or caught.value.message)
    assert _count(session) == 0


def test_only_the_reps_own_prospects_and_mailboxes(write, factory, session, world):
    teammate = factory.user("rep")
    theirs = factory.mailbox(email="teammate@kvitas-demo.com", owner_id=teammate.id)
    their_prospect = factory.prospect(owner_id=teammate.id)
    session.commit()
    with pytest.raises(Forbidden, match="own mailboxes"):
        write(mailbox_id=theirs.id)
    with pytest.raises(Forbidden, match="own prospects"):
        write(prospect=their_prospect)
    manager = factory.user("manager")
    session.commit()
    assert write(user=manager, mailbox_id=theirs.id).state == OneOffState.QUEUED  # managers may, as for sequences


@pytest.mark.parametrize("stop", ["unsubscribed", "bounced", "complained", "suppressed", "domain"])
def test_a_prospect_the_send_path_would_skip_is_refused(write, session, prospect, now, stop):
    if stop == "suppressed":
        suppress_email(session, prospect.email_normalized, "manual", now)
    elif stop == "domain":
        from sequencer.models import Suppression
        from sequencer.models.crm import SuppressionKind
        session.add(Suppression(kind=SuppressionKind.DOMAIN, value="grudai.example", reason="manual", created_at=now))
    else:
        prospect.status = ProspectStatus(stop)
    session.commit()
    with pytest.raises(Conflict, match="can't be emailed"):
        write()
    assert _count(session) == 0


def test_a_paused_mailbox_is_refused_with_its_reason(write, session, world):
    world["mailbox"].status, world["mailbox"].paused_reason = MailboxStatus.PAUSED, "password rejected"
    session.commit()
    with pytest.raises(Invalid) as caught:
        write()
    assert caught.value.details[0] == {"field": "mailbox_id",
                                       "message": "the mailbox ruta@kvitas-demo.com is paused: password rejected"}


def test_it_goes_out_once_rendered_signed_with_unsubscribe_and_tracked_links(write, app, session, sink, world,
                                                                             prospect, client):
    get_workspace(session).tracked_link_domains = ["kvitas-demo.com"]
    session.commit()
    row = write(body=BODY + "\nAlso https://elsewhere.example/x\n\nRūta Kazlauskaitė\nKvitas")
    assert send(session, row.id, settings_for(app.config)) == "sent"

    [message] = sink.handler.parsed()
    assert message["Subject"] == "Quick question, Ona" and message["To"].addresses[0].addr_spec == prospect.email
    assert message["From"].addresses[0].addr_spec == "ruta@kvitas-demo.com"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" and "/u/" in message["List-Unsubscribe"]
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("Hi Ona,") and "{{" not in text and "[" not in text.split("Unsubscribe")[0]
    assert text.count("Rūta Kazlauskaitė\nKvitas") == 1  # typed by the rep, and added by the send: once
    assert "Unsubscribe: http://sequencer.test/u/" in text
    html = message.get_body(("html",)).get_content()
    assert "/t/c/" in html and 'href="https://elsewhere.example/x"' in html  # only the workspace's domain tracked
    assert "/t/o/" not in html  # no open pixel on a rep's personal email

    session.expire_all()
    row = session.get(OneOffEmail, row.id)
    assert row.state == OneOffState.SENT and row.message_id == message["Message-ID"] and row.sent_at is not None
    assert row.message_id.startswith("<oo") and row.sent_subject == "Quick question, Ona"
    [event] = session.scalars(select(Event).where(Event.kind == "sent")).all()
    assert (event.prospect_id, event.user_id, event.mailbox_id) == (prospect.id, world["rep"].id, world["mailbox"].id)
    assert event.payload["one_off_email_id"] == row.id and event.payload["subject"] == "Quick question, Ona"

    click = html.split('href="', 2)[1].split('"', 1)[0].replace("http://sequencer.test", "")
    assert "/t/c/" in click
    response = client.get(click)
    assert response.status_code == 302 and response.headers["Location"].startswith("https://kvitas-demo.com/tour")
    clicked = session.scalars(select(Event).where(Event.kind == "clicked")).one()
    assert clicked.prospect_id == prospect.id and clicked.payload["one_off_email_id"] == row.id


def test_the_job_run_twice_sends_once(write, app, session, sink, redis_conn):
    from sequencer.mail import one_off

    row = write()
    bind_app(app)
    worker = lambda: SimpleWorker([queues.queue(queues.SEND, redis_conn)], connection=redis_conn).work(burst=True)  # noqa: E731
    one_off.enqueue(redis_conn, row.id)
    worker()
    one_off.enqueue(redis_conn, row.id)
    worker()
    assert jobs.send_one_off(row.id) == {"state": "sent"}
    [message] = sink.handler.parsed()
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.count("Rūta Kazlauskaitė\nKvitas") == 1  # the rep's signature, added once
    session.expire_all()
    assert session.get(OneOffEmail, row.id).state == OneOffState.SENT


def test_a_row_started_but_never_marked_sent_becomes_uncertain_and_is_never_resent(write, app, session, sink, now):
    crashed, in_flight, swept = write(), write(subject="Second"), write(subject="Third")
    for row, ago in ((crashed, 11), (in_flight, 1), (swept, 30)):
        row.state, row.send_started_at = OneOffState.SENDING, now - timedelta(minutes=ago)
    session.commit()
    settings = settings_for(app.config)
    assert send(session, in_flight.id, settings) == "sending"  # another worker may be at SMTP right now
    assert send(session, crashed.id, settings) == "uncertain"
    assert send(session, crashed.id, settings) == "uncertain"
    dispatch_and_send(session, app.config, now)  # the dispatcher's sweep settles what no job runs again for
    session.expire_all()
    assert session.get(OneOffEmail, swept.id).state == OneOffState.UNCERTAIN
    assert session.get(OneOffEmail, in_flight.id).state == OneOffState.SENDING
    assert sink.handler.messages == []
    kinds = session.scalars(select(Event.kind).where(Event.kind == "send_uncertain")).all()
    assert len(kinds) == 2


def test_a_prospect_who_unsubscribed_before_the_job_ran_gets_nothing(write, app, session, sink, prospect):
    row = write()
    prospect.status = ProspectStatus.UNSUBSCRIBED
    session.commit()
    assert send(session, row.id, settings_for(app.config)) == "failed"
    session.expire_all()
    row = session.get(OneOffEmail, row.id)
    assert row.error == "not sent: they unsubscribed" and row.send_started_at is None and sink.handler.messages == []


def test_a_hard_bounce_at_rcpt_fails_it_and_stops_the_prospect(write, app, session, world, prospect):
    with Sink(ScriptedHandler(rcpt_reply="550 5.1.1 no such user")) as refusing:
        world["mailbox"].smtp_port = refusing.port
        session.commit()
        row = write()
        assert send(session, row.id, settings_for(app.config)) == "failed"
    session.expire_all()
    assert session.get(OneOffEmail, row.id).error.startswith("not sent:")
    assert session.get(type(prospect), prospect.id).status == ProspectStatus.BOUNCED


def test_a_one_off_whose_job_was_lost_is_enqueued_again_by_the_dispatcher(write, app, session, sink, redis_conn, now):
    row = write()  # its job never enqueued (Redis was down)
    bind_app(app)
    jobs.dispatch((now + timedelta(minutes=1)).isoformat())
    assert len(queues.queue(queues.SEND, redis_conn)) == 0  # too fresh: its own job may still be on the way
    jobs.dispatch((now + timedelta(minutes=3)).isoformat())
    SimpleWorker([queues.queue(queues.SEND, redis_conn)], connection=redis_conn).work(burst=True)
    session.expire_all()
    assert session.get(OneOffEmail, row.id).state == OneOffState.SENT and len(sink.handler.messages) == 1


def test_it_counts_in_the_reps_activity(write, app, session, world, now):
    from sequencer.reports.reps import rep_activity

    send(session, write().id, settings_for(app.config))
    _, rows = rep_activity(session, now)
    [mine] = [r for r in rows if r.user_id == world["rep"].id]
    assert mine.total("emails") == 1
