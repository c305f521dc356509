"""Every message of the corpus, ingested into a fresh world: its classification, its match and its effect."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from sequencer.inbound.service import ingest
from sequencer.models import Enrollment, EnrollmentStatus, Event, InboundMessage, ProspectStatus, StepRun, StepRunState
from sequencer.models.inbound import InboundStatus
from tests.inbound.corpus.big import big_reply

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text())


def _raw(name: str) -> bytes:
    return big_reply() if name == "big_reply" else (CORPUS / name).read_bytes()


def test_the_corpus_and_its_expectations_match():
    assert set(EXPECTED) == {p.name for p in CORPUS.glob("*.eml")} | {"big_reply"}
    assert len(EXPECTED) >= 45


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_message(name, session, corpus_world, now):
    want = EXPECTED[name]
    raw = _raw(name)
    result = ingest(session, raw, source="imap", now=now)
    row = session.get(InboundMessage, result.id)

    assert row.raw == raw and row.size == len(raw)  # stored whole, whatever it is
    assert row.status == (InboundStatus.UNPARSED if want.get("unparsed") else InboundStatus.PROCESSED), row.error
    assert row.classification == want["classification"], row.detail
    prospect = corpus_world["prospects"].get(want["prospect"]) if want["prospect"] else None
    assert row.prospect_id == (prospect.id if prospect else None), row.detail
    answered = corpus_world["runs"][want["answers"]].id if want["answers"] else None
    assert row.step_run_id == answered, row.detail
    if want["classification"] == "reply":
        assert row.sentiment == want["sentiment"], row.detail
    if want["bounce"]:
        bounce = row.detail["bounce"]
        assert (bounce["hard"], bounce["status"]) == (want["bounce"]["hard"], want["bounce"]["status"])
        assert want["bounce"]["recipient"] in bounce["recipients"]
    if want["classification"] == "auto_reply":
        stated = row.detail["return_date"]
        assert stated == want["return_date"], row.detail
    _check_effect(session, corpus_world, row, want, prospect)


def _events(session, row):
    return {e.kind for e in session.scalars(select(Event).where(Event.inbound_message_id == row.id))}


def _check_effect(session, world, row, want, prospect):
    kind = want["classification"]
    session.expire_all()
    enrollment = world["enrollments"][want["prospect"]] if prospect else None
    if kind == "unmatched" or prospect is None:
        assert _events(session, row) == set() and row.enrollment_id is None or kind == "bounce"
        assert session.scalars(select(Enrollment).where(Enrollment.status != EnrollmentStatus.ACTIVE)).all() == []
        return
    if kind == "reply":
        assert _events(session, row) == {"replied", "exited"}
        assert (enrollment.status, enrollment.exit_reason) == (EnrollmentStatus.EXITED, "replied")
    elif kind == "auto_reply":
        if row.detail.get("left_company"):
            assert _events(session, row) == {"auto_replied", "exited"}
            assert (enrollment.status, enrollment.exit_reason) == (EnrollmentStatus.EXITED, "left_company")
        else:
            assert _events(session, row) == {"auto_replied", "paused"}
            assert enrollment.status == EnrollmentStatus.PAUSED and enrollment.paused_until == row.resume_at
            back = date.fromisoformat(want["return_date"]) if want["return_date"] else None
            assert back is None or row.resume_at.date() > back
    elif kind == "unsubscribe":
        assert prospect.status == ProspectStatus.UNSUBSCRIBED and enrollment.status == EnrollmentStatus.EXITED
    elif want["bounce"]["hard"]:
        assert prospect.status == ProspectStatus.BOUNCED and enrollment.status == EnrollmentStatus.EXITED
        assert "bounced" in _events(session, row)
    else:  # soft: the same email goes again on the next business day, unless a later one already went out
        assert prospect.status == ProspectStatus.ACTIVE and _events(session, row) == {"soft_bounced"}
        run = session.get(StepRun, row.step_run_id)
        later_sent = [r for r in world["runs"].values() if r.enrollment_id == run.enrollment_id
                      and r.position > run.position]
        if later_sent:
            assert run.state == StepRunState.SENT and row.resume_at is None
        else:
            assert run.state == StepRunState.SCHEDULED and run.due_at == row.resume_at > row.received_at
