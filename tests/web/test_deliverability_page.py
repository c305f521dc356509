"""The Deliverability page: every mailbox's authentication, warm-up and health, for admins and managers; the
admins' one-click actions (resume, accept findings, warm-up, DKIM key, tracking domain)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sequencer.models import DomainCheck, Event, Workspace
from sequencer.models.mail import MailboxStatus, Transport
from sequencer.platform import clock

NOW = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)


@pytest.fixture
def boxes(factory, session):
    rep = factory.user("rep", name="Ona Rep")
    warm = factory.mailbox(email="ona@acme.example", owner_id=rep.id, transport=Transport.SMTP, smtp_host="smtp.gmail.com",
                           warmup_started_on=date(2026, 12, 7), daily_limit=40, awaiting_domain_check=True)
    paused = factory.mailbox(email="max@acme.example", status=MailboxStatus.PAUSED,
                             paused_reason="hard-bounce rate 7.5% over the last 200 sends")
    session.add(DomainCheck(kind="sending", domain="acme.example", passed=False, checked_at=NOW,
                            problems=["no DMARC record: Gmail and Yahoo will reject bulk mail from acme.example"],
                            records={"provider": "google", "spf": ["v=spf1 include:_spf.google.com ~all"]}))
    session.add_all([Event(kind="sent", occurred_at=NOW, mailbox_id=warm.id) for _ in range(4)]
                    + [Event(kind="bounced", occurred_at=NOW, mailbox_id=warm.id)])
    session.commit()
    with clock.frozen(NOW):
        yield {"warm": warm, "paused": paused}


def _post(client, url, data=None):
    page = client.get("/deliverability").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    return client.post(url, data={"csrf_token": token, **(data or {})}, follow_redirects=True)


def test_admins_and_managers_see_every_mailbox_reps_do_not(client, as_role, boxes):
    as_role("manager")
    html = client.get("/deliverability").get_data(as_text=True)
    assert "ona@acme.example" in html and "max@acme.example" in html
    assert "no DMARC record: Gmail and Yahoo will reject bulk mail from acme.example" in html
    assert "First email held until acme.example passes or is accepted" in html
    assert "20/day" in html and "day 3 · full speed Tue 15 Dec" in html  # 10, 15, 20 on Wednesday
    assert "25.0%" in html  # 1 hard bounce in 4 sends
    assert "hard-bounce rate 7.5% over the last 200 sends" in html
    assert "deliverability.js" in html and 'data-sort="num"' in html
    assert ">Resume</button>" not in html  # managers see, admins act


def test_reps_may_not_see_it(client, as_role, boxes):
    as_role("rep")
    assert client.get("/deliverability").status_code == 403


def test_one_click_resume_and_accepting_the_findings(client, as_role, boxes, session):
    as_role("admin")
    html = _post(client, f"/deliverability/mailboxes/{boxes['paused'].id}/resume").get_data(as_text=True)
    assert "max@acme.example is sending again." in html
    html = _post(client, "/deliverability/accept", {"domain": "acme.example"}).get_data(as_text=True)
    assert "Findings for acme.example accepted" in html
    session.expire_all()
    assert boxes["paused"].status == MailboxStatus.ACTIVE and not boxes["warm"].awaiting_domain_check


def test_warmup_dkim_and_the_detail_view(client, as_role, boxes, session):
    as_role("admin")
    box = boxes["warm"]
    html = _post(client, f"/deliverability/mailboxes/{box.id}/warmup",
                 {"start": "5", "step": "5", "target": "30", "started_on": "2026-12-09"}).get_data(as_text=True)
    assert "warming up: day 1, 5/day now, 30/day from Wed 16 Dec" in html
    _post(client, f"/deliverability/mailboxes/{box.id}/dkim", {"action": "generate", "selector": "s1"})
    html = client.get(f"/deliverability?mailbox={box.id}").get_data(as_text=True)
    assert "s1._domainkey.acme.example" in html and "v=DKIM1; k=rsa; p=MII" in html
    assert "Turn signing on" in html and "Last 14 days" in html and "v=spf1 include:_spf.google.com ~all" in html
    _post(client, f"/deliverability/mailboxes/{box.id}/dkim", {"action": "enable"})
    session.expire_all()
    assert box.dkim_signing and box.warmup_target == 30


def test_a_bad_warmup_is_refused_with_its_reason(client, as_role, boxes, session):
    as_role("admin")
    html = _post(client, f"/deliverability/mailboxes/{boxes['warm'].id}/warmup", {"start": "-3"}).get_data(as_text=True)
    assert "must be a whole number between 1 and 100000" in html
    session.expire_all()
    assert boxes["warm"].warmup_start is None


def test_the_tracking_domain_is_saved_and_its_cname_checked(client, as_role, boxes, session, loopback_dns, app):
    as_role("admin")
    html = _post(client, "/deliverability/tracking", {"tracking_domain": "track.acme.example"}).get_data(as_text=True)
    assert "No CNAME record for track.acme.example: point it at sequencer.test" in html
    loopback_dns.zone.add("track.acme.example", "CNAME", "sequencer.test")
    html = _post(client, "/deliverability/tracking", {"tracking_domain": "track.acme.example"}).get_data(as_text=True)
    assert "Links and pixels now use track.acme.example." in html
    assert session.get(Workspace, 1).tracking_domain == "track.acme.example"
    html = _post(client, "/deliverability/tracking", {"tracking_domain": "http://x/y"}).get_data(as_text=True)
    assert "must be a host name" in html
