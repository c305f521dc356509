"""The demo's inbound mail: raw messages the real classifier agrees with, and the live answers' effects."""
from __future__ import annotations

import email
from collections import Counter
from datetime import timedelta

from sequencer.models import Enrollment, Event, InboundMessage, Prospect
from tests.demo.helpers import NOW, rows_of


def test_inbound_messages_are_raw_mail_linked_to_what_they_caused(session, seeded):
    messages = rows_of(session, InboundMessage)
    assert {m.classification for m in messages} == {"reply", "auto_reply", "bounce", "unsubscribe"}
    events = rows_of(session, Event)
    for m in messages:
        assert m.status.value == "processed" and m.size == len(m.raw) and m.prospect_id and m.enrollment_id
        parsed = email.message_from_bytes(m.raw)
        assert parsed["Message-ID"].strip() == m.message_id and parsed["From"]
        assert any(e.inbound_message_id == m.id and e.enrollment_id == m.enrollment_id for e in events)
    ooo = next(m for m in messages if m.classification == "auto_reply")
    assert "out of the office until" in email.message_from_bytes(ooo.raw).get_payload(decode=True).decode()
    bounce = next(m for m in messages if m.classification == "bounce")
    assert b"Status: 5.1.1" in bounce.raw
    assert session.get(Prospect, bounce.prospect_id).status.value == "bounced"


def test_demo_mail_reads_as_what_it_claims_and_the_live_answers_took_effect(session, seeded):
    from sequencer.inbound.classify import classify
    from sequencer.inbound.parse import parse

    messages = rows_of(session, InboundMessage)
    assert Counter(m.classification for m in messages) == {"reply": 3, "auto_reply": 3, "bounce": 3, "unsubscribe": 3}
    for m in messages:  # the historic rows say what the real classifier says of their bytes
        parsed = parse(m.raw)
        verdict = classify(session, parsed, parsed.date.date())
        assert (verdict.classification, verdict.match.prospect.id) == (m.classification, m.prospect_id), m.subject
    live = {m.classification: m for m in messages if m.received_at > NOW - timedelta(hours=2)}
    assert set(live) == {"reply", "auto_reply", "bounce", "unsubscribe"}
    assert session.get(Enrollment, live["reply"].enrollment_id).exit_reason == "replied"
    paused = session.get(Enrollment, live["auto_reply"].enrollment_id)
    assert paused.status.value == "paused" and paused.paused_until == live["auto_reply"].resume_at > NOW
    assert session.get(Prospect, live["bounce"].prospect_id).status.value == "bounced"
    assert session.get(Prospect, live["unsubscribe"].prospect_id).status.value == "unsubscribed"
