"""The Deliverability page's numbers: per-day health by kind and provider, and each row's authentication state."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sequencer.models import DomainCheck, Event
from sequencer.models.mail import Transport
from sequencer.ops import deliverability as board

NOW = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)


def test_per_day_counts_every_kind_and_rejections_by_provider(session, factory):
    box = factory.mailbox(email="ona@acme.example")
    session.flush()
    yesterday = NOW - timedelta(days=1)
    kinds = ([("sent", NOW)] * 5 + [("bounced", NOW), ("soft_bounced", NOW), ("replied", NOW), ("complained", NOW)]
             + [("sent", yesterday)] * 2)
    session.add_all(Event(kind=k, occurred_at=at, mailbox_id=box.id) for k, at in kinds)
    session.add_all([Event(kind="sender_rejected", occurred_at=NOW, mailbox_id=box.id, payload={"mta": "gmail"}),
                     Event(kind="sender_rejected", occurred_at=NOW, mailbox_id=box.id, payload={"mta": "gmail"}),
                     Event(kind="sender_rejected", occurred_at=NOW, mailbox_id=box.id, payload={"mta": "zz"})])
    session.commit()
    today, before = board.daily(session, box.id, NOW)[:2]
    assert (today["sent"], today["bounced"], today["soft_bounced"], today["replied"], today["complained"],
            today["sender_rejected"]) == (5, 1, 1, 1, 1, 3)
    assert today["by_provider"] == {"Gmail": 2, "other": 1}
    assert before["sent"] == 2 and before["day"] == yesterday.date()


def test_each_rows_authentication_state(session, factory, app):
    smtp = {"transport": Transport.SMTP, "smtp_host": "smtp.gmail.com"}
    factory.mailbox(email="a@ok.example", **smtp)
    factory.mailbox(email="b@bad.example", **smtp)
    factory.mailbox(email="c@new.example", **smtp)
    factory.mailbox(email="d@outbox.example")
    session.add_all([DomainCheck(kind="sending", domain="ok.example", passed=True, problems=[], records={},
                                 checked_at=NOW),
                     DomainCheck(kind="sending", domain="bad.example", passed=False, problems=["no MX record"],
                                 records={}, checked_at=NOW, acknowledged_at=NOW)])
    session.commit()
    states = {r.mailbox.email: r.auth_state for r in board.rows(session, NOW, app.config["SECRET_KEY"])}
    assert states == {"a@ok.example": "ok", "b@bad.example": "accepted", "c@new.example": "unchecked",
                      "d@outbox.example": "outbox"}
