"""A new mailbox holds its first email until its domain passes the DNS check (run by the periodic job) or an
admin accepts the findings; the daily job re-checks every domain."""
from __future__ import annotations

from datetime import timedelta

import pytest
from rq import SimpleWorker
from sqlalchemy import select

from sequencer.deliverability import domains
from sequencer.errors import Forbidden
from sequencer.mail.mailboxes import create_mailbox
from sequencer.mail.sending import dispatch_and_send
from sequencer.models import DomainCheck, StepRun, StepRunState
from sequencer.outreach.enrol import enroll
from sequencer.platform import clock
from sequencer.platform.security import SecretBox
from tests.outreach.conftest import MONDAY
from tests.support.smtp_sink import Sink
from workers import jobs, queues
from workers.context import bind_app
from workers.schedule import SCHEDULE


@pytest.fixture
def new_mailbox(app, session, factory):
    """A just-created SMTP mailbox on acme.example (sending to a sink), one prospect enrolled on it."""
    with Sink() as sink, clock.frozen(MONDAY):
        rep = factory.user("rep", timezone="Europe/Vilnius")
        seq = factory.sequence(steps=1, status="active")
        session.commit()
        mailbox = create_mailbox(session, {"email": "ona@acme.example", "transport": "smtp", "smtp_host": "127.0.0.1",
                                           "smtp_port": sink.port, "smtp_security": "none", "owner_id": rep.id,
                                           "min_interval_seconds": 0}, SecretBox(app.config["SECRET_KEY"]))
        prospect = factory.prospect(timezone="Europe/Vilnius", country="LT")
        session.commit()
        enroll(session, seq, [prospect.id], actor=rep, now=MONDAY, mailbox_id=mailbox.id)
        session.commit()
        yield {"mailbox": mailbox, "sink": sink}


def _cycle(app, session, minutes: int):
    session.expire_all()  # as a dispatch job's fresh session would: the check job committed elsewhere
    moment = MONDAY + timedelta(minutes=minutes)
    with clock.frozen(moment):
        dispatch_and_send(session, app.config, moment)


def _run_job(app, redis_conn, job):
    bind_app(app)
    q = queues.queue(queues.DEFAULT, redis_conn)
    queued = q.enqueue(job, MONDAY.isoformat())
    SimpleWorker([q], connection=redis_conn).work(burst=True)
    return queued.return_value()


def _why(session) -> str:
    session.expire_all()
    return session.scalars(select(StepRun.why_waiting)).one()


def test_held_until_the_check_then_until_an_admin_accepts_the_findings(app, session, factory, redis_conn,
                                                                         new_mailbox, publish):
    assert new_mailbox["mailbox"].awaiting_domain_check
    _cycle(app, session, 1)
    assert _why(session) == ("new mailbox: waiting for the DNS check of acme.example (SPF, DKIM, DMARC, MX) "
                             "before its first email")
    publish({("acme.example", "MX"): "aspmx.l.google.com"}, without=(("_dmarc.acme.example", "TXT"),))
    summary = _run_job(app, redis_conn, jobs.check_new_mailbox_domains)
    assert summary == {"checked": 1, "passed": 0, "failing": ["acme.example"]}
    _cycle(app, session, 2)
    assert "no DMARC record: Gmail and Yahoo will reject bulk mail from acme.example" in _why(session)
    assert new_mailbox["sink"].handler.messages == []

    with pytest.raises(Forbidden):
        domains.acknowledge(session, "acme.example", factory.user("manager"), MONDAY)
    domains.acknowledge(session, "acme.example", factory.user("admin"), MONDAY)
    session.commit()
    _cycle(app, session, 3)
    assert len(new_mailbox["sink"].handler.messages) == 1


def test_a_passing_check_lets_the_first_email_go(app, session, redis_conn, new_mailbox, publish):
    publish()
    assert _run_job(app, redis_conn, jobs.check_new_mailbox_domains)["passed"] == 1
    _cycle(app, session, 1)
    session.expire_all()
    assert session.scalars(select(StepRun.state)).one() == StepRunState.SENT, _why(session)
    assert session.scalars(select(DomainCheck)).one().problems == []


def test_the_daily_job_rechecks_and_a_new_problem_needs_a_new_acknowledgement(app, session, redis_conn, factory,
                                                                              new_mailbox, publish, dns):
    publish()
    _run_job(app, redis_conn, jobs.check_domains)
    dns.zone.records.pop("_dmarc.acme.example")
    summary = _run_job(app, redis_conn, jobs.check_domains)
    assert summary["failing"] == ["acme.example"] and summary["tracking_failing"] == []
    session.expire_all()
    check = session.scalars(select(DomainCheck)).one()
    assert check.problems == ["no DMARC record: Gmail and Yahoo will reject bulk mail from acme.example"]
    assert check.acknowledged_at is None
    names = {p.func.__name__: p.interval_seconds for p in SCHEDULE}
    assert names["check_domains"] == 86400 and names["check_new_mailbox_domains"] == 300
