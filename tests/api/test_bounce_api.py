"""The contract's additions for issue 15: the `bounce` object, `complaint`, status `complained`, mailbox `health`."""
from __future__ import annotations

from datetime import timedelta

import pytest

from sequencer.models import Event, ProspectStatus
from sequencer.platform import clock

SECRET = "webhook-secret"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "INBOUND_SECRET": SECRET}


def _post(client, raw: str):
    return client.post("/api/v1/inbound", data=raw.encode(), headers={"Content-Type": "message/rfc822",
                                                                       "X-Inbound-Secret": SECRET})


HARD = ("From: MAILER-DAEMON@mx.test (Mail Delivery System)\nTo: rita@sequencer.test\nSubject: Undelivered Mail "
        "Returned to Sender\nMessage-ID: <b1@mx.test>\nMIME-Version: 1.0\nContent-Type: multipart/report; "
        "report-type=delivery-status; boundary=B\n\n--B\nContent-Type: text/plain\n\nThis is the mail system at host "
        "mx.test.\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.test\n\n"
        "Final-Recipient: rfc822; gone@nowhere.test\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 "
        "user unknown\n\n--B--\n")


def test_a_bounce_answers_with_its_reason_class_status_recipient_and_writer(client):
    body = _post(client, HARD).get_json()
    assert body["classification"] == "bounce"
    assert body["bounce"] == {"reason": "user_unknown", "class": "hard", "status": "5.1.1",
                              "recipient": "gone@nowhere.test", "mta": "postfix"}


def test_other_classifications_carry_no_bounce(client):
    body = _post(client, "From: a@b.test\nTo: rita@sequencer.test\nSubject: hi\nMessage-ID: <x1@b.test>\n\nhello\n")
    assert body.get_json()["bounce"] is None


def test_complained_is_a_status_everywhere(api, factory, session):
    caller = api("admin")
    prospect = factory.prospect(email="angry@example.test", status=ProspectStatus.COMPLAINED)
    session.commit()
    listed = caller.get("/api/v1/prospects?status=complained")
    assert listed.status_code == 200 and [p["id"] for p in listed.json] == [prospect.id]
    assert caller.get(f"/api/v1/prospects/{prospect.id}").json["status"] == "complained"
    spec = caller.get("/api/v1/openapi.json").json
    assert "complained" in spec["components"]["schemas"]["Prospect"]["properties"]["status"]["enum"]


def test_mailbox_health(api, factory, session):
    caller = api("admin")
    mailbox = factory.mailbox(email="sdr@acme.example")
    now = clock.now()
    session.add_all([Event(kind="sent", occurred_at=now - timedelta(days=1), mailbox_id=mailbox.id)
                     for _ in range(200)])
    session.add_all([Event(kind="bounced", occurred_at=now - timedelta(days=2), mailbox_id=mailbox.id)
                     for _ in range(4)])
    session.add(Event(kind="complained", occurred_at=now - timedelta(days=3), mailbox_id=mailbox.id))
    session.add_all([Event(kind="sender_rejected", occurred_at=now - timedelta(days=d), mailbox_id=mailbox.id)
                     for d in (1, 2, 9)])  # the 9-day-old one is outside the window
    session.commit()
    (listed,) = caller.get("/api/v1/mailboxes").json
    assert listed["health"] == {"sent_7d": 200, "hard_bounce_rate": 0.02, "complaint_rate": 0.005,
                                "sender_rejections_7d": 2, "paused_reason": None}
