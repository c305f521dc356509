"""The misses the outside measurement named (issue 15), each through the ingest door against the corpus world."""
from __future__ import annotations

import json

from sqlalchemy import select

from sequencer.inbound.service import ingest
from sequencer.models import EnrollmentStatus, Event, InboundMessage, ProspectStatus, Suppression
from tests.inbound.corpus.formats_shim import sns_envelope

DANA, RUN = "dana.kowalski@acme-corp.test", "<sr101.corpus@sequencer.test>"
RETURNED = (f"From: Rita Rep <rita@sequencer.test>\nTo: Dana Kowalski <{DANA}>\nSubject: Quick question about Acme's "
            f"month-end close\nMessage-ID: {RUN}\nDate: Mon, 07 Dec 2026 09:12:00 +0000\n")


def _ingest(session, now, raw: str) -> InboundMessage:
    result = ingest(session, raw.encode(), source="api", now=now)
    session.expire_all()
    return session.get_one(InboundMessage, result.id)


def _dana(world):
    return world["prospects"][DANA], world["enrollments"][DANA]


def test_mailer_daemon_angle_brackets_without_return_path(session, corpus_world, now):
    row = _ingest(session, now, "From: MAILER-DAEMON <>\nTo: rita@sequencer.test\nSubject: Undelivered Mail Returned "
                  "to Sender\nMessage-ID: <m1@relay.test>\nDate: Mon, 07 Dec 2026 09:13:00 +0000\n\n"
                  f"<{DANA}>: host mx.acme-corp.test[192.0.2.1] said: 550 5.1.1 <{DANA}>:\n"
                  "    Recipient address rejected: User unknown (in reply to RCPT TO command)\n\n"
                  f"--- original message ---\n{RETURNED}\nHi Dana\n")
    prospect, enrollment = _dana(corpus_world)
    assert row.classification == "bounce", row.detail
    assert prospect.status == ProspectStatus.BOUNCED and enrollment.status == EnrollmentStatus.EXITED


def test_delivery_status_nested_inside_multipart_mixed(session, corpus_world, now):
    row = _ingest(session, now, "From: Postmaster <postmaster@gateway.test>\nTo: rita@sequencer.test\nSubject: Your "
                  "message\nMessage-ID: <m2@gateway.test>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; "
                  "boundary=OUT\n\n--OUT\nContent-Type: text/plain\n\nScanned by the gateway.\n--OUT\nContent-Type: "
                  "multipart/report; report-type=delivery-status; boundary=IN\n\n--IN\nContent-Type: text/plain\n\n"
                  "Delivery failed.\n--IN\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; gateway.test\n"
                  f"\nFinal-Recipient: rfc822; {DANA}\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 "
                  f"user unknown\n\n--IN\nContent-Type: text/rfc822-headers\n\n{RETURNED}\n--IN--\n--OUT--\n")
    assert row.classification == "bounce", row.detail
    assert row.detail["bounce"]["reason"] == "user_unknown" and row.step_run_id == corpus_world["runs"][RUN].id
    assert _dana(corpus_world)[0].status == ProspectStatus.BOUNCED


def test_amazon_ses_notice_in_sns_json_is_a_bounce_not_an_unsubscribe(session, corpus_world, now):
    doc = {"notificationType": "Bounce", "bounce": {"bounceType": "Permanent", "bounceSubType": "General",
           "bouncedRecipients": [{"emailAddress": DANA, "status": "5.1.1", "action": "failed",
                                  "diagnosticCode": "smtp; 550 5.1.1 user unknown"}]},
           "mail": {"messageId": "0100018c-ses", "headers": [{"name": "Message-ID", "value": RUN}]}}
    row = _ingest(session, now, "From: AWS Notifications <no-reply@sns.amazonaws.com>\nTo: rita@sequencer.test\n"
                  "Subject: AWS Notification Message\nMessage-ID: <m3@sns.test>\n\n" + sns_envelope(json.dumps(doc)))
    assert row.classification == "bounce", row.detail
    assert row.detail["bounce"]["recipients"] == [DANA] and row.detail["bounce"]["mta"] == "amazon_ses"
    assert _dana(corpus_world)[0].status == ProspectStatus.BOUNCED


def test_lotus_version_number_is_not_a_status_code(session, corpus_world, now):
    row = _ingest(session, now, "From: Mail Delivery Subsystem <postmaster@acme-corp.test>\nTo: rita@sequencer.test\n"
                  "Subject: DELIVERY FAILURE: User dana.kowalski not listed in Domino Directory\n"
                  "Message-ID: <m4@notes.test>\nReturn-Path: <>\n\nYour message\n\n  Subject: Quick question\n\n"
                  f"was not delivered to:\n\n  {DANA}\n\nbecause:\n\n  User {DANA} not listed in Domino Directory\n\n"
                  f"Reporting-MTA: Lotus SMTP MTA v4.6.1\n\n{RETURNED}")
    assert row.classification == "bounce", row.detail
    assert row.detail["bounce"]["status"] is None and row.detail["bounce"]["hard"] is True
    assert row.detail["bounce"]["reason"] == "user_unknown"


def test_an_arf_report_is_a_complaint(session, corpus_world, now):
    row = _ingest(session, now, "From: Yahoo! Mail AntiSpam Feedback <feedback@arf.mail.yahoo.test>\n"
                  "To: rita@sequencer.test\nSubject: Abuse Report\nMessage-ID: <m5@arf.test>\nMIME-Version: 1.0\n"
                  "Content-Type: multipart/report; report-type=feedback-report; boundary=B\n\n--B\nContent-Type: "
                  "text/plain\n\nThis is an email abuse report.\n--B\nContent-Type: message/feedback-report\n\n"
                  "Feedback-Type: abuse\nUser-Agent: Yahoo!-Mail-Feedback/2.0\nVersion: 1\n"
                  f"Original-Rcpt-To: {DANA}\n\n--B\nContent-Type: message/rfc822\n\n{RETURNED}\nHi Dana\n--B--\n")
    prospect, enrollment = _dana(corpus_world)
    assert row.classification == "complaint", row.detail
    assert prospect.status == ProspectStatus.COMPLAINED and enrollment.status == EnrollmentStatus.EXITED
    assert session.scalars(select(Suppression.value)).all() == [DANA]
    assert "complained" in {e.kind for e in session.scalars(select(Event).where(Event.inbound_message_id == row.id))}


def test_a_dmarc_rejection_is_ours_and_leaves_the_prospect_alone(session, corpus_world, now):
    row = _ingest(session, now, "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nTo: rita@sequencer.test\n"
                  "Subject: Delivery Status Notification (Failure)\nMessage-ID: <m6@google.test>\nMIME-Version: 1.0\n"
                  "Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\nContent-Type: "
                  f"text/plain\n\nYour message wasn't delivered to {DANA}.\n--B\nContent-Type: message/delivery-status\n\n"
                  f"Reporting-MTA: dns; googlemail.com\n\nFinal-Recipient: rfc822; {DANA}\nAction: failed\nStatus: "
                  "5.7.26\nDiagnostic-Code: smtp; 550-5.7.26 Unauthenticated email from sequencer.test is not accepted "
                  f"due to domain's DMARC policy\n\n--B\nContent-Type: text/rfc822-headers\n\n{RETURNED}\n--B--\n")
    prospect, enrollment = _dana(corpus_world)
    assert row.classification == "bounce" and row.detail["bounce"]["class"] == "sender", row.detail
    assert prospect.status == ProspectStatus.ACTIVE and enrollment.status == EnrollmentStatus.ACTIVE
    assert session.scalars(select(Suppression)).all() == []


def test_delayed_mail_is_soft_and_never_suppresses(session, corpus_world, now):
    row = _ingest(session, now, "From: MAILER-DAEMON@out1.relay.test (Mail Delivery System)\nTo: rita@sequencer.test\n"
                  "Subject: Delayed Mail (still being retried)\nMessage-ID: <m7@relay.test>\n\n"
                  "This is the mail system at host out1.relay.test.\n\n# THIS IS A WARNING ONLY. #\n\n"
                  "Your message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 "
                  f"day(s) old.\n\n<{DANA}>: host mx.acme-corp.test said: 550 5.1.1 user unknown (in reply to RCPT)"
                  f"\n\n{RETURNED}")
    assert row.classification == "bounce" and row.detail["bounce"]["hard"] is False, row.detail
    assert _dana(corpus_world)[0].status == ProspectStatus.ACTIVE
    assert session.scalars(select(Suppression)).all() == []


def test_a_success_report_is_not_a_bounce(session, corpus_world, now):
    row = _ingest(session, now, "From: MAILER-DAEMON@out1.relay.test\nTo: rita@sequencer.test\nSubject: Successful Mail "
                  "Delivery Report\nMessage-ID: <m8@relay.test>\nMIME-Version: 1.0\nContent-Type: multipart/report; "
                  "report-type=delivery-status; boundary=B\n\n--B\nContent-Type: text/plain\n\nDelivered.\n--B\n"
                  "Content-Type: message/delivery-status\n\nReporting-MTA: dns; out1.relay.test\n\n"
                  f"Final-Recipient: rfc822; {DANA}\nAction: relayed\nStatus: 2.0.0\n\n--B\nContent-Type: "
                  f"text/rfc822-headers\n\n{RETURNED}\n--B--\n")
    assert row.classification != "bounce", row.detail
    assert _dana(corpus_world)[0].status == ProspectStatus.ACTIVE
    assert session.scalars(select(Event).where(Event.inbound_message_id == row.id)).all() == []


def test_the_failed_recipient_only(session, corpus_world, now):
    row = _ingest(session, now, "From: MAILER-DAEMON@relay.test\nTo: rita@sequencer.test\nSubject: Undeliverable\n"
                  "Message-ID: <m9@relay.test>\nReturn-Path: <>\n\nYour message could not be delivered.\n\n"
                  "Message-ID: <20261207.abc@relay.acme-corp.test>\nAuthentication-Results: relay.test; spf=pass "
                  "smtp.mailfrom=bounce-42@acme-corp.test\nSender: rita@sequencer.test\n\n"
                  f"Recipient: {DANA}\nReason: 550 5.1.1 user unknown\n")
    assert row.classification == "bounce", row.detail
    assert row.detail["bounce"]["recipients"] == [DANA]


def test_a_complaint_is_kept_when_they_unsubscribe_afterwards(session, corpus_world, now):
    from sequencer.people.suppression.rules import complaint, unsubscribe

    prospect, _ = _dana(corpus_world)
    assert complaint(session, prospect, now) is True and complaint(session, prospect, now) is False
    assert unsubscribe(session, prospect, now, "link") is False
    assert prospect.status == ProspectStatus.COMPLAINED
