"""The Outbox's Sent view (each email's engagement, search, status filter, sorting, page numbers) and its
Scheduled view (what goes out next, from which mailbox, when and why it waits)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sequencer.models import EnrollmentStatus, Event, StepRunState
from sequencer.platform import clock

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)


def _sent(factory, seq, mailbox, prospect, subject, sent_at=NOW):
    enrollment = factory.enrollment(prospect=prospect, sequence=seq, mailbox_id=mailbox.id)
    return factory.step_run(enrollment, seq.steps[0], mailbox_id=mailbox.id, state=StepRunState.SENT,
                            due_at=sent_at, sent_at=sent_at, subject=subject)


def _event(session, kind, run):
    session.add(Event(kind=kind, prospect_id=run.enrollment.prospect_id, sequence_id=run.enrollment.sequence_id,
                      step_id=run.step_id, step_run_id=run.id, occurred_at=NOW))


def test_sent_view_shows_each_emails_engagement_and_filters_by_it(client, as_role, factory, session):
    as_role("manager")
    seq, mailbox = factory.sequence(steps=1), factory.mailbox()
    opened = _sent(factory, seq, mailbox, factory.prospect(first_name="Ona"), "Opened one")
    replied = _sent(factory, seq, mailbox, factory.prospect(first_name="Rimas"), "Replied one")
    _sent(factory, seq, mailbox, factory.prospect(first_name="Tomas"), "Quiet one")
    bounced = _sent(factory, seq, mailbox, factory.prospect(first_name="Jonas"), "Bounced one")
    session.flush()
    _event(session, "opened", opened)
    _event(session, "opened", replied)
    _event(session, "replied", replied)
    _event(session, "bounced", bounced)
    session.commit()
    html = client.get("/outbox").get_data(as_text=True)
    assert 'class="pill pill-replied">Replied' in html and 'class="pill pill-bounced">Bounced' in html
    replied_only = client.get("/outbox?status=replied").get_data(as_text=True)
    assert "Replied one" in replied_only and "Opened one" not in replied_only and "Quiet one" not in replied_only
    quiet = client.get("/outbox?status=no_response").get_data(as_text=True)
    assert "Quiet one" in quiet and "Opened one" not in quiet and "Bounced one" not in quiet
    page = client.get(f"/outbox/{replied.id}").get_data(as_text=True)
    assert "pill-opened" in page and "pill-replied" in page
    assert client.get("/outbox?status=exploded").status_code == 422


def test_sent_view_searches_subject_name_and_email(client, as_role, factory, session):
    as_role("manager")
    seq, mailbox = factory.sequence(steps=1), factory.mailbox()
    _sent(factory, seq, mailbox, factory.prospect(first_name="Eglė", last_name="Jankauskė", email="egle@a.test"), "Budget")
    _sent(factory, seq, mailbox, factory.prospect(first_name="Paul", last_name="Smith", email="paul@b.test"), "Renewal")
    session.commit()
    for needle in ("jankauskė", "egle@a", "budg"):
        html = client.get("/outbox", query_string={"q": needle}).get_data(as_text=True)
        assert "Budget" in html and "Renewal" not in html, needle
    assert "No sent email matches." in client.get("/outbox?q=100%25").get_data(as_text=True)


def test_sent_view_sorts_by_a_whitelisted_column_only(client, as_role, factory, session):
    as_role("manager")
    seq, mailbox = factory.sequence(steps=1), factory.mailbox()
    _sent(factory, seq, mailbox, factory.prospect(), "Bravo", sent_at=NOW)
    _sent(factory, seq, mailbox, factory.prospect(), "Alpha", sent_at=NOW - timedelta(days=1))
    _sent(factory, seq, mailbox, factory.prospect(), "Charlie", sent_at=NOW - timedelta(days=2))
    session.commit()

    def order(query: str) -> list[str]:
        html = client.get(f"/outbox?{query}").get_data(as_text=True)
        return sorted(("Alpha", "Bravo", "Charlie"), key=html.index)

    assert order("") == ["Bravo", "Alpha", "Charlie"]  # newest first
    assert order("sort=subject") == ["Alpha", "Bravo", "Charlie"]
    assert order("sort=-subject") == ["Charlie", "Bravo", "Alpha"]
    assert order("sort=sent") == ["Charlie", "Alpha", "Bravo"]
    assert order("sort=subject;drop table step_runs") == ["Bravo", "Alpha", "Charlie"]  # unknown: the default
    html = client.get("/outbox?sort=subject").get_data(as_text=True)
    assert 'aria-sort="ascending"' in html and "sort=-subject" in html


def test_long_lists_have_page_numbers_and_a_page_past_the_end_says_so(client, as_role, factory, session):
    as_role("manager")
    seq, mailbox = factory.sequence(steps=1), factory.mailbox()
    for i in range(7 * 50 + 1):
        _sent(factory, seq, mailbox, factory.prospect(), f"Message {i}", sent_at=NOW - timedelta(minutes=i))
    session.commit()
    html = client.get("/outbox?page=4").get_data(as_text=True)
    assert "Page 4 of 8" in html
    for n in (1, 2, 3, 5, 6, 8):
        assert f'href="/outbox?page={n}"' in html, n
    assert 'aria-current="page">4<' in html
    html = client.get("/outbox?page=1").get_data(as_text=True)
    assert "…" in html and 'href="/outbox?page=8"' in html and 'href="/outbox?page=5"' not in html
    missing = client.get("/outbox?page=99")
    assert missing.status_code == 404
    text = missing.get_data(as_text=True)
    assert "There is no page 99 of this list: it has 8 pages." in text and "Page 99 of" not in text
    assert 'class="sidebar"' in text  # the navigation stays


def test_scheduled_view_lists_what_goes_out_next_with_mailbox_time_and_reason(client, as_role, factory, session):
    clock.freeze(NOW)
    as_role("manager")
    seq = factory.sequence(steps=1, name="Q2 outbound")
    mailbox = factory.mailbox(email="ruta@sender.test")
    later = factory.enrollment(prospect=factory.prospect(first_name="Later"), sequence=seq, mailbox_id=mailbox.id)
    factory.step_run(later, due_at=NOW + timedelta(days=2))
    capped = factory.enrollment(prospect=factory.prospect(first_name="Capped"), sequence=seq, mailbox_id=mailbox.id)
    factory.step_run(capped, due_at=NOW - timedelta(hours=1), why_waiting="mailbox daily limit reached (150 a day)")
    paused = factory.enrollment(prospect=factory.prospect(first_name="Paused"), sequence=seq, mailbox_id=mailbox.id,
                                status=EnrollmentStatus.PAUSED)
    factory.step_run(paused, due_at=NOW)
    done = factory.enrollment(prospect=factory.prospect(first_name="Already"), sequence=seq, mailbox_id=mailbox.id)
    factory.step_run(done, state=StepRunState.SENT, sent_at=NOW, subject="Gone")
    session.commit()
    html = client.get("/outbox?view=scheduled").get_data(as_text=True)
    assert "Capped" in html and "Later" in html and "Paused" not in html and "Already" not in html
    assert html.index("Capped") < html.index("Later")  # soonest first
    assert "ruta@sender.test" in html and "Q2 outbound" in html
    assert "Daily limit" in html and "mailbox daily limit reached (150 a day)" in html
    assert "waits for its day and send window" in html
    html = client.get("/outbox?view=scheduled&sort=-due").get_data(as_text=True)
    assert html.index("Later") < html.index("Capped")
    assert "Later" not in client.get("/outbox?view=scheduled&q=capped").get_data(as_text=True)


def test_reps_scheduled_view_shows_only_their_own(client, as_role, factory, session):
    rep = as_role("rep")
    seq, mailbox = factory.sequence(steps=1), factory.mailbox()
    factory.step_run(factory.enrollment(prospect=factory.prospect(first_name="Minebody", owner_id=rep.id),
                                        sequence=seq, mailbox_id=mailbox.id))
    factory.step_run(factory.enrollment(prospect=factory.prospect(first_name="Otherbody"), sequence=seq,
                                        mailbox_id=mailbox.id))
    session.commit()
    html = client.get("/outbox?view=scheduled").get_data(as_text=True)
    assert "Minebody" in html and "Otherbody" not in html
