"""A reply to a one-off email is matched to its prospect by Message-ID, like a reply to a sequence email."""
from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy import select

from sequencer.inbound.service import ingest
from sequencer.mail.one_off import create
from sequencer.mail.one_off_send import send
from sequencer.mail.sending import settings_for
from sequencer.models import Enrollment, EnrollmentStatus, Event, InboundMessage, OneOffEmail


def _reply_to(sent, sender: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"] = sender, sent["From"]
    msg["Subject"] = "Re: something else entirely"  # the subject can't match: only the thread headers can
    msg["Date"] = "Mon, 07 Dec 2026 11:30:00 +0200"
    msg["Message-ID"] = "<CAF=oneoff.reply@mail.gmail.test>"
    msg["In-Reply-To"] = sent["Message-ID"]
    msg["References"] = sent["Message-ID"]
    msg.set_content("Yes, Thursday works. Call me at 10.\n")
    return msg.as_bytes()


def test_a_reply_to_a_one_off_is_matched_to_the_prospect_and_stops_their_sequence(app, session, sink, world, enrol,
                                                                                   now):
    prospect = enrol(email="ona@grudai.example", owner_id=world["rep"].id)  # also in a sequence that exits on reply
    row = create(session, prospect, world["rep"], world["mailbox"].id, "Thursday?", "Hi {{ prospect.first_name }}",
                 base_url=app.config["BASE_URL"], secret=app.config["SECRET_KEY"], now=now)
    session.commit()
    assert send(session, row.id, settings_for(app.config)) == "sent"
    [sent] = sink.handler.parsed()

    # from the prospect's personal address: the sender alone would match nobody
    result = ingest(session, _reply_to(sent, "ona.personal@gmail.test"), source="api", now=now + timedelta(hours=1))
    assert result.classification == "reply" and result.prospect_id == prospect.id
    inbound = session.get(InboundMessage, result.id)
    assert inbound.detail["match"] == "in_reply_to"
    replied = session.scalars(select(Event).where(Event.kind == "replied")).one()
    assert replied.prospect_id == prospect.id
    assert replied.payload["one_off_email_id"] == session.scalars(select(OneOffEmail.id)).one()
    session.expire_all()
    enrollment = session.scalars(select(Enrollment).where(Enrollment.prospect_id == prospect.id)).one()
    assert enrollment.status == EnrollmentStatus.EXITED and enrollment.exit_reason == "replied"
