"""Suppression lists (addresses, domains, CSV) stop enrolments at once; GDPR erasure removes the
person everywhere and keeps only a hash that blocks them for good."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from sequencer.mail.transports import OutboxTransport
from sequencer.models import (
    Enrollment,
    EnrollmentStatus,
    Event,
    ImportRowIssue,
    InboundMessage,
    Prospect,
    SequenceStatus,
    StepRun,
    Suppression,
    Task,
)
from sequencer.models.crm import SuppressionKind
from sequencer.outreach.enrol import enroll
from sequencer.outreach.suppression_lists import email_hash
from sequencer.people.erasure import erase_prospect
from sequencer.people.suppression.admin import add_entries
from sequencer.platform import clock
from tests.people.csv_import.helpers import csv_bytes, import_all


def _enrolled(factory, session, *emails):
    seq = factory.sequence(status=SequenceStatus.ACTIVE)
    user = factory.user("manager")
    box = factory.mailbox(owner_id=user.id)
    people = [factory.prospect(email=e) for e in emails]
    result = enroll(session, seq, [p.id for p in people], actor=user, now=clock.now(), mailbox_id=box.id)
    session.commit()
    assert len(result.enrolled) == len(emails)
    return seq, user, people


def test_adding_a_domain_stops_live_enrolments_and_blocks_new_ones(session, factory):
    seq, user, (rival, other) = _enrolled(factory, session, "ceo@rival.com", "ok@friend.com")
    result = add_entries(session, [(1, "@Rival.com"), (2, "not an entry"), (3, "rival.com")], "competitor",
                         clock.now(), actor=user)
    session.commit()
    assert (result.added, result.already, result.invalid, result.stopped) == (1, 1, [(2, "not an entry")], 1)
    states = {e.prospect_id: (e.status, e.exit_reason) for e in session.scalars(select(Enrollment))}
    assert states[rival.id] == (EnrollmentStatus.EXITED, "suppressed")
    assert states[other.id][0] == EnrollmentStatus.ACTIVE
    again = enroll(session, factory.sequence(status=SequenceStatus.ACTIVE), [rival.id], actor=user, now=clock.now())
    assert again.skipped == [(rival.id, "suppressed")]


def test_erasure_removes_the_person_everywhere_and_blocks_reimport(session, factory, tmp_path):
    seq, user, (anna, bob) = _enrolled(factory, session, "anna@acme.com", "bob@acme.com")
    enrollment = session.scalars(select(Enrollment).where(Enrollment.prospect_id == anna.id)).one()
    outbox = tmp_path / "outbox"
    for person, message_id in ((anna, "<a1@sequencer.test>"), (bob, "<b1@sequencer.test>")):
        run = session.scalars(select(StepRun).join(Enrollment).where(Enrollment.prospect_id == person.id)).one()
        run.message_id = message_id
        OutboxTransport(str(outbox)).send("me@sequencer.test", person.email, b"Hi", message_id)
    session.add(InboundMessage(raw=b"From: anna@acme.com\r\n\r\nPlease stop", size=30, from_address="Anna@Acme.com",
                               prospect_id=anna.id))
    session.add(InboundMessage(raw=b"From: anna@acme.com\r\n\r\nunmatched", size=30, from_address="anna@acme.com"))
    session.add(Event(kind="replied", prospect_id=anna.id, sequence_id=seq.id, payload={"snippet": "Hi, Anna here"}))
    session.add(Event(kind="note", prospect_id=bob.id, payload={"text": "Bob said anna@acme.com left"}))
    factory.task("call", prospect_id=anna.id, title="Call Anna", due_at=clock.now() + timedelta(days=1))
    session.add(Suppression(kind=SuppressionKind.EMAIL, value="anna@acme.com", reason="unsubscribed"))
    session.commit()
    imp = import_all(session, user, csv_bytes([["Email", "Name"], ["ANNA@acme.com", "Anna"]]), tmp_path / "up",
                     on_duplicate="skip")
    assert session.scalar(select(func.count()).select_from(ImportRowIssue)) == 1

    erase_prospect(session, anna, user, clock.now(), str(outbox))
    session.commit()
    assert sorted(p.name for p in outbox.iterdir()) == ["b1_sequencer.test.eml"]
    assert session.get(Prospect, anna.id) is None
    assert session.scalar(select(func.count()).select_from(InboundMessage)) == 0
    assert session.scalar(select(func.count()).select_from(Enrollment).where(Enrollment.id == enrollment.id)) == 0
    assert session.scalar(select(func.count()).select_from(Task)) == 0
    assert session.scalar(select(func.count()).select_from(ImportRowIssue)) == 0
    texts = [str(e.payload) for e in session.scalars(select(Event))]
    assert not any("anna" in t.lower() for t in texts)
    kept = session.scalars(select(Event).where(Event.kind == "replied")).one()  # reports still count it
    assert kept.prospect_id is None and kept.sequence_id == seq.id
    assert {(s.kind, s.value) for s in session.scalars(select(Suppression))} == {
        (SuppressionKind.EMAIL_HASH, email_hash("anna@acme.com"))}

    again = import_all(session, user, csv_bytes([["Email"], ["Anna@ACME.com"]]), tmp_path / "up")
    assert again.created_count == 0 and again.skipped_count == 1
    assert imp.id != again.id
