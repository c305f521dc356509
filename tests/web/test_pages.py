"""The read-only pages show the right rows to the right roles."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sequencer.models import EnrollmentStatus, Event, StepRunState
from sequencer.models.sequences import SequenceStatus
from sequencer.platform import clock

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)  # 12:00 in Vilnius


def _enrol(factory, prospect, seq, mailbox=None, status=EnrollmentStatus.ACTIVE):
    return factory.enrollment(prospect=prospect, sequence=seq, mailbox_id=mailbox.id if mailbox else None,
                              status=status)


def _sent_run(factory, enrollment, step, mailbox, subject, sent_at=NOW, **kw):
    return factory.step_run(enrollment, step, mailbox_id=mailbox.id, state=StepRunState.SENT, due_at=sent_at,
                            sent_at=sent_at, subject=subject,
                            variant_id=step.variants[0].id if step.variants else None, **kw)


def _event(session, kind, prospect, seq, step=None, **kw):
    session.add(Event(kind=kind, prospect_id=prospect.id, sequence_id=seq.id, step_id=step.id if step else None,
                      variant_id=step.variants[0].id if step and step.variants else None,
                      occurred_at=kw.pop("occurred_at", NOW), **kw))


def test_anonymous_is_sent_to_login(client):
    for path in ("/", "/sequences", "/prospects", "/tasks", "/reports", "/outbox", "/settings"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"]


def test_login_page_renders_and_rejects_bad_password(client, factory, session):
    assert b"Sign in" in client.get("/login").data
    user = factory.user("rep")
    session.commit()
    response = client.post("/login", data={"email": user.email, "password": "wrong password"})
    assert response.status_code == 401
    assert b"Invalid email or password." in response.data


def test_home_is_a_page_per_role(client, as_role):
    as_role("rep")
    html = client.get("/").get_data(as_text=True)
    assert "Your day at a glance" in html and 'id="home-replies"' in html and 'id="home-hot"' in html
    client.post("/logout")
    as_role("manager")
    html = client.get("/").get_data(as_text=True)
    assert "Team at a glance" in html and 'id="activity-vs-plan"' in html and 'id="home-stale"' in html


def test_base_layout_has_nav_user_and_csrf_meta(client, as_role):
    as_role("manager", name="Greta Manager")
    html = client.get("/sequences").get_data(as_text=True)
    assert 'name="csrf-token"' in html and "X-CSRFToken" in html
    assert "Greta Manager" in html and "manager" in html
    assert "/reports" in html and 'href="/settings"' not in html  # Settings (workspace) is the admins'
    assert 'href="/settings/tokens"' in html  # everyone's own API tokens
    assert 'href="/settings/webhooks"' in html  # managers manage webhooks (issue 19)
    assert "/static/vendor/htmx/htmx.min.js" in html and "unpkg" not in html and "cdn" not in html.lower()


def test_rep_nav_shows_their_reports_and_hides_settings(client, as_role):
    as_role("rep")
    html = client.get("/tasks").get_data(as_text=True)
    assert 'href="/reports"' in html and 'href="/settings"' not in html


def test_sequences_list_shows_counts(client, as_role, factory, session):
    as_role("rep")
    seq = factory.sequence(steps=3, name="Q1 CFO outbound", status=SequenceStatus.ACTIVE)
    mailbox = factory.mailbox()
    for i in range(2):
        prospect = factory.prospect()
        enrollment = _enrol(factory, prospect, seq, mailbox)
        _sent_run(factory, enrollment, seq.steps[0], mailbox, f"Hi {i}")
        _event(session, "sent", prospect, seq, seq.steps[0])
    _enrol(factory, factory.prospect(), seq, status=EnrollmentStatus.FINISHED)
    session.commit()
    html = client.get("/sequences").get_data(as_text=True)
    assert "Q1 CFO outbound" in html
    assert "pill-active" in html and "3 steps" in html
    assert 'title="Call"' in html and 'title="Email"' in html
    row = html.split("Q1 CFO outbound", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">2</td>' in row  # active enrolments (the finished one excluded) and sent


def test_sequence_detail_lists_steps_variants_and_personas(client, as_role, factory, session):
    as_role("rep")
    seq = factory.sequence(steps=2, name="CTO security")
    seq.steps[0].variants[0].subject = "Quick question about {{ company.name }}"
    seq.steps[0].variants[0].by_persona = {"cfo": {"subject": "Cutting audit costs", "body": "x"}}
    seq.steps[1].instructions = "Call and mention the SOC 2 report"
    _enrol(factory, factory.prospect(), seq, status=EnrollmentStatus.PAUSED)
    session.commit()
    html = client.get(f"/sequences/{seq.id}").get_data(as_text=True)
    assert "Quick question about {{ company.name }}" in html  # shown as text, not rendered
    assert "cfo" in html and "Cutting audit costs" in html
    assert "Call and mention the SOC 2 report" in html
    assert "wait 2 business days" in html
    assert client.get("/sequences/999999").status_code == 404


def test_prospects_search_filters_and_pagination(client, as_role, factory, session):
    as_role("rep")
    cfo = factory.persona("cfo", name="CFO")
    acme = factory.company(name="Acme Baltics")
    factory.prospect(first_name="Rūta", last_name="Žemaitė", company=acme, persona=cfo, country="LT")
    factory.prospect(first_name="Hans", last_name="Müller", country="DE")
    for i in range(55):
        factory.prospect(first_name="Bulk", last_name=f"Person{i:02d}", country="US")
    session.commit()
    html = client.get("/prospects?q=acme").get_data(as_text=True)
    assert "Rūta Žemaitė" in html and "Hans Müller" not in html
    html = client.get("/prospects?q=müller").get_data(as_text=True)
    assert "Hans Müller" in html and "Rūta" not in html
    html = client.get("/prospects?persona=cfo").get_data(as_text=True)
    assert "Rūta Žemaitė" in html and "Bulk" not in html
    html = client.get("/prospects?country=de").get_data(as_text=True)
    assert "Hans Müller" in html and "Rūta" not in html
    page1 = client.get("/prospects?country=US").get_data(as_text=True)
    assert "55 matching" in page1 and page1.count("Bulk Person") == 50 and "page=2" in page1
    page2 = client.get("/prospects?country=US&page=2").get_data(as_text=True)
    assert page2.count("Bulk Person") == 5


def test_prospects_owner_and_status_filters(client, as_role, factory, session):
    rep = as_role("rep", name="Jonas Rep")
    factory.prospect(first_name="Owned", last_name="One", owner_id=rep.id)
    factory.prospect(first_name="Bounced", last_name="Two", status="bounced")
    session.commit()
    html = client.get(f"/prospects?owner={rep.id}").get_data(as_text=True)
    assert "Owned One" in html and "Bounced Two" not in html
    html = client.get("/prospects?status=bounced").get_data(as_text=True)
    assert "Bounced Two" in html and "Owned One" not in html


def test_prospect_detail_shows_local_time_enrolments_and_timeline(client, as_role, factory, session):
    as_role("rep")
    clock.freeze(NOW)
    seq = factory.sequence(steps=2, name="EU fintech")
    mailbox = factory.mailbox(email="ona@sender.test")
    prospect = factory.prospect(first_name="Ona", last_name="Kazlauskienė", timezone="America/New_York",
                                phone="+1 212 555 0100", company=factory.company(name="Fintech Inc"))
    enrollment = _enrol(factory, prospect, seq, mailbox)
    _sent_run(factory, enrollment, seq.steps[0], mailbox, "Hello Ona")
    factory.step_run(enrollment, seq.steps[1], due_at=NOW + timedelta(days=2),
                     why_waiting="waiting for the send window")
    _event(session, "sent", prospect, seq, seq.steps[0], occurred_at=NOW - timedelta(hours=2))
    _event(session, "replied", prospect, seq, seq.steps[0], occurred_at=NOW - timedelta(hours=1))
    session.commit()
    html = client.get(f"/prospects/{prospect.id}").get_data(as_text=True)
    assert "Ona Kazlauskienė" in html and "Fintech Inc" in html
    assert "06:00" in html  # 10:00 UTC is 06:00 in New York in March (EDT)
    assert 'href="tel:+12125550100"' in html
    assert "EU fintech" in html and "1 · Sent" in html and "2 · Scheduled" in html
    assert "waiting for the send window" in html
    assert html.index("Replied") < html.index("<strong>Sent</strong>")  # newest first
    assert client.get("/prospects/999999").status_code == 404


def test_tasks_grouped_in_users_time_zone(client, as_role, factory, session):
    clock.freeze(NOW)  # 12:00 on Wednesday in Vilnius
    rep = as_role("rep", timezone="Europe/Vilnius")
    other = factory.user("rep")
    prospect = factory.prospect(first_name="Lina", last_name="Petrauskaitė", phone="+370 600 12345",
                                linkedin_url="https://www.linkedin.com/in/lina", company=factory.company(name="Vilnius Tech"))

    def task(title, due, owner=rep, **kw):
        factory.task("call", owner_id=owner.id, prospect_id=prospect.id, due_at=due, title=title,
                     instructions=kw.pop("instructions", ""), **kw)

    task("Call yesterday", NOW - timedelta(days=1))
    task("Call this morning", NOW - timedelta(hours=2), instructions="Ask about Q3 budget")
    task("Call late tonight", datetime(2025, 3, 12, 21, 30, tzinfo=UTC))  # 23:30 Vilnius, still today
    task("Call after midnight", datetime(2025, 3, 12, 22, 30, tzinfo=UTC))  # 00:30 tomorrow in Vilnius
    task("Someone else's call", NOW, owner=other)
    task("Finished call", NOW, status="done")
    session.commit()
    def listed(bucket):
        html = client.get(f"/tasks?bucket={bucket}").get_data(as_text=True)
        return html, html.split('<ul class="rows"', 1)[1].split("</ul>", 1)[0]

    html, today = listed("today")
    _, overdue = listed("overdue")
    _, upcoming = listed("upcoming")
    assert "Call yesterday" in overdue and "Call this morning" not in overdue
    assert "Call this morning" in today and "Call late tonight" in today
    assert "Call after midnight" in upcoming and "Call after midnight" not in today
    assert "Someone else" not in html and "Finished call" not in html
    assert "Ask about Q3 budget" in html and "Vilnius Tech" in html and "Lina Petrauskaitė" in html
    assert 'href="tel:+37060012345"' in html and 'href="https://www.linkedin.com/in/lina"' in html
    assert 'title="Open tasks due by end of today">3</span>' in html


def test_reports_count_events_per_sequence_and_variant(client, as_role, factory, session):
    as_role("manager")
    seq = factory.sequence(steps=1, name="Reported sequence")
    step = seq.steps[0]
    for i in range(4):
        prospect = factory.prospect()
        _enrol(factory, prospect, seq)
        _event(session, "sent", prospect, seq, step)
        if i == 0:
            _event(session, "replied", prospect, seq, step)
            _event(session, "meeting_booked", prospect, seq)
        if i == 1:
            _event(session, "bounced", prospect, seq, step)
    session.commit()
    html = client.get("/reports").get_data(as_text=True)
    row = html.split("Reported sequence", 1)[1].split("</tr>", 1)[0]
    cells = [c.split("<", 1)[0] for c in row.split('<td class="num">')[1:]]
    assert cells == ["4", "4", "0", "1", "1", "1", "0"]  # enrolled, sent, opened, replied, meetings, bounced, unsub
    variant_row = html.split("Steps and variants", 1)[1]
    assert "25.0%" in variant_row and ">A<" in variant_row


def test_team_reports_forbidden_for_reps(client, as_role):
    as_role("rep")
    response = client.get("/tasks/team")
    assert response.status_code == 403
    assert b"Back to Sequencer" in response.data


def test_outbox_lists_sent_mail_and_sandboxes_html(client, as_role, factory, session):
    as_role("manager")
    seq = factory.sequence(steps=1, name="Outbox seq")
    mailbox = factory.mailbox(email="sales@sender.test")
    prospect = factory.prospect(first_name="Eglė", last_name="Jankauskė", email="egle@client.test")
    enrollment = _enrol(factory, prospect, seq, mailbox)
    run = _sent_run(factory, enrollment, seq.steps[0], mailbox, "Intro for Eglė",
                    body_html='<p>Hi Eglė</p><script>alert("x")</script>', body_text="Hi Eglė, plain")
    factory.step_run(_enrol(factory, factory.prospect(), seq), seq.steps[0], due_at=NOW, subject="Not sent yet")
    session.commit()
    html = client.get("/outbox").get_data(as_text=True)
    assert "Intro for Eglė" in html and "egle@client.test" in html and "sales@sender.test" in html
    assert "Not sent yet" not in html
    html = client.get(f"/outbox/{run.id}").get_data(as_text=True)
    assert "<iframe" in html and " sandbox " in html
    assert "&lt;script&gt;" in html and '<script>alert("x")' not in html
    assert "Hi Eglė, plain" in html
    assert client.get("/outbox/999999").status_code == 404


def test_outbox_for_rep_shows_only_their_prospects(client, as_role, factory, session):
    rep = as_role("rep")
    seq = factory.sequence(steps=1)
    mailbox = factory.mailbox()
    mine = _enrol(factory, factory.prospect(owner_id=rep.id), seq, mailbox)
    theirs = _enrol(factory, factory.prospect(), seq, mailbox)
    _sent_run(factory, mine, seq.steps[0], mailbox, "Mine subject")
    other = _sent_run(factory, theirs, seq.steps[0], mailbox, "Their subject")
    session.commit()
    html = client.get("/outbox").get_data(as_text=True)
    assert "Mine subject" in html and "Their subject" not in html
    assert client.get(f"/outbox/{other.id}").status_code == 404


@pytest.mark.parametrize("path", ["/sequences", "/prospects", "/tasks", "/outbox"])
def test_reps_can_open_shared_pages(client, as_role, path):
    as_role("rep")
    assert client.get(path).status_code == 200


def test_task_without_own_instructions_shows_the_steps(client, as_role, factory, session):
    clock.freeze(NOW)
    rep = as_role("rep")
    seq = factory.sequence(steps=2)
    seq.steps[1].instructions = "Mention the Vilnius case study"
    prospect = factory.prospect(first_name="Step", last_name="Task")
    run = factory.step_run(_enrol(factory, prospect, seq), seq.steps[1], state=StepRunState.TASK_OPEN, due_at=NOW)
    factory.task("call", owner_id=rep.id, prospect_id=prospect.id, step_run_id=run.id, due_at=NOW,
                 title="Call Step Task")
    session.commit()
    html = client.get("/tasks").get_data(as_text=True)
    assert "Call Step Task" in html and "Mention the Vilnius case study" in html
