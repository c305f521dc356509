"""Fixtures for the sending pipeline: an SMTP sink, a mailbox pointing at it, a one-email sequence."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sequencer.mail.sending import dispatch_and_send
from sequencer.models import Sequence, SequenceStatus, Step, StepType, Variant
from sequencer.models.mail import SmtpSecurity, Transport
from sequencer.outreach.enrol import enroll
from sequencer.platform import clock
from sequencer.platform.security import SecretBox
from tests.support.smtp_sink import ScriptedHandler, Sink

MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # 10:00 in Vilnius


@pytest.fixture
def sink():
    with Sink() as server:
        yield server


@pytest.fixture
def now():
    with clock.frozen(MONDAY):
        yield MONDAY


@pytest.fixture
def world(factory, session, sink, app, now):
    """A rep with an SMTP mailbox on the sink, and an active two-email sequence (the second threaded)."""
    rep = factory.user("rep", name="Rūta Kazlauskaitė", title="Account Executive",
                       signature="Rūta Kazlauskaitė\nKvitas")
    mailbox = factory.mailbox(email="ruta@kvitas-demo.com", name="Rūta Kazlauskaitė", owner_id=rep.id,
                              transport=Transport.SMTP, smtp_host="127.0.0.1", smtp_port=sink.port,
                              smtp_security=SmtpSecurity.NONE, min_interval_seconds=0, daily_limit=500)
    seq = Sequence(name="Intro", status=SequenceStatus.ACTIVE, owner_id=rep.id, track_opens=True,
                   track_clicks=True)
    seq.steps = [
        Step(position=1, type=StepType.AUTO_EMAIL, variants=[Variant(
            label="A", subject="Sąskaitos {{ company.name }} – {{ prospect.first_name }}",
            body="Sveiki, {{ prospect.first_name }}!\n\nSee https://kvitas-demo.com/tour")]),
        Step(position=2, type=StepType.AUTO_EMAIL, wait_days=1, thread=True,
             variants=[Variant(label="A", subject="", body="Following up, {{ prospect.first_name }}.")]),
    ]
    session.add(seq)
    session.commit()
    return {"rep": rep, "mailbox": mailbox, "sequence": seq}


@pytest.fixture
def enrol(factory, session, world):
    def _enrol(**prospect_kw):
        prospect_kw.setdefault("first_name", "Šarūnas")
        prospect_kw.setdefault("last_name", "Žukauskas")
        prospect_kw.setdefault("company", factory.company(name="Grūdų Bazė"))
        prospect_kw.setdefault("timezone", "Europe/Vilnius")
        prospect_kw.setdefault("country", "LT")
        prospect = factory.prospect(**prospect_kw)
        session.commit()
        enroll(session, world["sequence"], [prospect.id], actor=world["rep"], now=clock.now())
        session.commit()
        return prospect

    return _enrol


@pytest.fixture
def cycle(app, session):
    """One dispatch pass plus the sends, as of the (frozen) clock."""

    def _cycle():
        return dispatch_and_send(session, app.config, clock.now())

    return _cycle


__all__ = ["MONDAY", "ScriptedHandler", "SecretBox", "Sink"]


@pytest.fixture(autouse=True)
def _fresh_smtp_pool():
    """Pooled SMTP connections belong to one test's sink: none carries over to the next test."""
    from sequencer.mail import connections

    connections.close_all()
    yield
    connections.close_all()
