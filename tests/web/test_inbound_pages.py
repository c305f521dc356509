"""The Inbound pages, IMAP settings, the reply-stops-company switch, and inbound events on the prospect page."""
from __future__ import annotations

import re
import socket

import pytest
from sqlalchemy import event, select

from sequencer.extensions import db
from sequencer.inbound import classify as classify_module
from sequencer.inbound.service import ingest
from sequencer.models import InboundMessage, Mailbox, Workspace
from sequencer.models.inbound import InboundStatus
from sequencer.models.mail import SmtpSecurity
from sequencer.platform.security import SecretBox
from tests.conftest import login
from tests.inbound.conftest import corpus_world, now  # noqa: F401  (fixtures)
from tests.inbound.messages import reply

HTMX = {"HX-Request": "true"}
DANA = "Dana Kowalski <dana.kowalski@acme-corp.test>"
JURGEN = "Jürgen Müller <j.mueller@nordwerk.test>"


def _reply(session, at, **kw):
    kw.setdefault("sender", DANA)
    kw.setdefault("in_reply_to", "<sr101.corpus@sequencer.test>")
    return ingest(session, reply(**kw), source="api", now=at)


def _out_of_office(session, at):
    return _reply(session, at, sender=JURGEN, in_reply_to="<sr301.corpus@sequencer.test>",
                  subject="Abwesenheitsnotiz: Frage zum Monatsabschluss",
                  body="Ich bin ab dem 05.01.2027 wieder im Büro.", headers={"Auto-Submitted": "auto-replied"})


@pytest.fixture
def mail(session, corpus_world, now, monkeypatch):  # noqa: F811
    """One of each: a positive reply, an out-of-office, an unmatched message, garbage, and a processing error."""
    rows = {
        "reply": _reply(session, now, body="Sounds interesting, call me Thursday?"),
        "ooo": _out_of_office(session, now),
        "unmatched": ingest(session, reply(sender="someone@elsewhere.test", subject="Hello there", body="Hi"),
                            source="api", now=now),
        "garbage": ingest(session, bytes(range(256)) * 4, source="imap", now=now),
    }

    def broken(*args, **kwargs):
        raise RuntimeError("classifier exploded")

    monkeypatch.setattr("sequencer.inbound.service.classify", broken)
    rows["error"] = _reply(session, now, sender="Eve Ng <eve.ng@acme-corp.test>",
                           in_reply_to="<sr401.corpus@sequencer.test>", subject="Re: Acme's vendor payments",
                           body="Yes, interested. Let's talk.")
    monkeypatch.setattr("sequencer.inbound.service.classify", classify_module.classify)
    return {k: v.id for k, v in rows.items()}


def test_inbound_pages_are_for_admins_and_managers_and_only_admins_reprocess(client, as_role, mail):
    as_role("rep")
    assert client.get("/inbound").status_code == 403
    assert client.get(f"/inbound/{mail['reply']}").status_code == 403
    assert client.post(f"/inbound/{mail['error']}/reprocess").status_code == 403
    assert 'href="/inbound"' not in client.get("/tasks").get_data(as_text=True)
    client.post("/logout")
    as_role("manager")
    assert client.get("/inbound").status_code == 200
    html = client.get(f"/inbound/{mail['reply']}").get_data(as_text=True)
    assert "Sounds interesting" in html and "Reprocess" not in html
    assert client.post(f"/inbound/{mail['error']}/reprocess").status_code == 403


def test_list_is_newest_first_and_filters_by_type_and_status(client, as_role, session, mail, now):  # noqa: F811
    later = ingest(session, reply(sender=DANA, in_reply_to="<sr102.corpus@sequencer.test>",
                                  subject="Re: newest one", body="One more thing."),
                   source="api", now=now.replace(hour=13))
    as_role("admin")
    html = client.get("/inbound").get_data(as_text=True)
    assert html.index("Re: newest one") < html.index("Abwesenheitsnotiz")
    assert "Dana Kowalski" in html and 'href="/prospects/' in html
    assert "enrolment exited (replied)" in html  # the effect column
    assert 'class="tone tone-positive"' in html  # sentiment beside the reply badge
    assert html.count('class="row-flag') == 2  # garbage (unparsed) and the error row

    replies = client.get("/inbound?classification=reply").get_data(as_text=True)
    assert "Re: newest one" in replies and "Abwesenheitsnotiz" not in replies and "Hello there" not in replies
    autos = client.get("/inbound?classification=auto_reply").get_data(as_text=True)
    assert "Abwesenheitsnotiz" in autos and "Re: newest one" not in autos
    attention = client.get("/inbound?status=attention").get_data(as_text=True)
    assert f'/inbound/{mail["garbage"]}"' in attention and f'/inbound/{mail["error"]}"' in attention
    assert f'/inbound/{later.id}"' not in attention
    both = client.get("/inbound?status=processed&classification=unmatched").get_data(as_text=True)
    assert "Hello there" in both and f'/inbound/{mail["garbage"]}"' not in both
    assert client.get("/inbound?classification=bogus&status=nope&page=x").status_code == 200


def test_detail_escapes_the_text_and_explains_the_verdict(client, as_role, session, corpus_world, now):  # noqa: F811
    result = _reply(session, now, subject="Re: <b>bold</b> question",
                    body="Sounds good. <script>alert(1)</script> <img src=x onerror=alert(2)>")
    as_role("admin")
    html = client.get(f"/inbound/{result.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "<img src=x" not in html and "<b>bold</b>" not in html
    assert "the thread (In-Reply-To / References)" in html and "enrolment exited (replied)" in html
    assert "Dana Kowalski" in html and "Quick question about Acme" in html  # prospect and the email it answers
    assert '<pre class="inbound-text">' in html
    assert client.get("/inbound/999999").status_code == 404


def test_detail_of_garbage_and_error_rows(client, as_role, mail):
    as_role("admin")
    garbage = client.get(f"/inbound/{mail['garbage']}").get_data(as_text=True)
    assert "no recognisable header block" in garbage and "1.0 kB" in garbage
    error = client.get(f"/inbound/{mail['error']}").get_data(as_text=True)
    assert "Processing failed" in error and "RuntimeError: classifier exploded" in error


def test_admin_reprocesses_an_error_row(client, as_role, session, mail):
    as_role("admin")
    response = client.post(f"/inbound/{mail['error']}/reprocess", follow_redirects=True)
    assert response.status_code == 200
    assert "Reprocessed: classified as reply (positive)." in response.get_data(as_text=True)
    row = session.get(InboundMessage, mail["error"])
    session.refresh(row)
    assert (row.status, row.classification) == (InboundStatus.PROCESSED, "reply")
    htmx = client.post(f"/inbound/{mail['garbage']}/reprocess", headers=HTMX)
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"] == f"/inbound/{mail['garbage']}"


def test_nav_badge_counts_messages_needing_attention(client, as_role, session, mail):
    as_role("manager")
    html = client.get("/inbound").get_data(as_text=True)
    assert re.search(r'id="nav-inbound"[^>]*>2<', html)
    session.get(InboundMessage, mail["error"]).status = InboundStatus.PROCESSED
    session.commit()
    assert re.search(r'id="nav-inbound"[^>]*>1<', client.get("/sequences").get_data(as_text=True))


def test_inbound_list_does_not_query_per_row(client, as_role, session, corpus_world, now):  # noqa: F811
    as_role("admin")
    statements: list[str] = []

    def count() -> int:
        statements.clear()
        record = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get("/inbound").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    _reply(session, now, body="First.")
    before = count()
    for n, email in enumerate(("eve.ng@acme-corp.test", "tom.baker@widgetco.test", "j.mueller@nordwerk.test")):
        ingest(session, reply(sender=email, subject=f"Re: thing {n}", body="Sure, let's talk."), source="api", now=now)
    assert count() == before


# ---- settings ------------------------------------------------------------------------------------

def test_imap_fields_save_through_the_form_and_the_password_is_never_shown(client, as_role, factory, session):
    as_role("admin")
    mailbox = factory.mailbox(email="sales@example.org", name="Sales")
    session.commit()
    form = {"email": "sales@example.org", "name": "Sales", "transport": "outbox", "daily_limit": "200",
            "min_interval_seconds": "60", "imap_host": "imap.example.org", "imap_port": "",
            "imap_username": "sales", "imap_password": "imap-secret-pw", "imap_security": "tls",
            "imap_folders": "Bounces, Auto-replies\nINBOX"}
    assert client.post(f"/settings/mailboxes/{mailbox.id}", data=form).status_code == 302
    session.refresh(mailbox)
    assert (mailbox.imap_host, mailbox.imap_port, mailbox.imap_username) == ("imap.example.org", 993, "sales")
    assert mailbox.imap_folders == ["Bounces", "Auto-replies"] and mailbox.imap_security == SmtpSecurity.TLS
    secrets = SecretBox("test-secret-key-not-for-production")
    assert secrets.decrypt(mailbox.imap_password_encrypted) == "imap-secret-pw"

    html = client.get(f"/settings/mailboxes/{mailbox.id}").get_data(as_text=True)
    assert "imap-secret-pw" not in html and mailbox.imap_password_encrypted not in html
    assert "A password is set" in html and 'value="imap.example.org"' in html
    assert 'value="Bounces, Auto-replies"' in html
    assert "Inbound (IMAP)" in html and "Check IMAP" in html

    client.post(f"/settings/mailboxes/{mailbox.id}", data={**form, "imap_password": "", "imap_port": "1143"})
    session.refresh(mailbox)
    assert mailbox.imap_port == 1143 and secrets.decrypt(mailbox.imap_password_encrypted) == "imap-secret-pw"


def test_a_new_mailbox_takes_imap_settings_and_a_bad_port_keeps_nothing(client, as_role, session):
    as_role("admin")
    base = {"email": "new@example.org", "transport": "outbox", "daily_limit": "100", "min_interval_seconds": "30",
            "imap_host": "imap.example.org", "imap_password": "typed-secret", "imap_security": "starttls"}
    refused = client.post("/settings/mailboxes", data={**base, "imap_port": "70000"})
    assert refused.status_code == 422 and "imap_port" in refused.get_data(as_text=True)
    assert "typed-secret" not in refused.get_data(as_text=True)
    assert session.scalars(select(Mailbox)).first() is None
    assert client.post("/settings/mailboxes", data=base).status_code == 302
    mailbox = session.scalars(select(Mailbox)).one()
    assert (mailbox.imap_port, mailbox.imap_security) == (143, SmtpSecurity.STARTTLS)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_imap_check_against_a_closed_port_shows_the_error(client, as_role, factory, session):
    as_role("admin")
    mailbox = factory.mailbox(email="box@example.org", imap_host="127.0.0.1", imap_port=_closed_port(),
                              imap_security=SmtpSecurity.NONE)
    session.commit()
    fragment = client.post(f"/settings/mailboxes/{mailbox.id}/imap-test", headers=HTMX)
    assert fragment.status_code == 200
    html = fragment.get_data(as_text=True)
    assert "result-fail" in html and "Connection" in html and "<html" not in html
    page = client.post(f"/settings/mailboxes/{mailbox.id}/imap-test", follow_redirects=True)
    assert "flash-error" in page.get_data(as_text=True)
    client.post("/logout")
    as_role("manager")
    assert client.post(f"/settings/mailboxes/{mailbox.id}/imap-test", headers=HTMX).status_code == 403


def test_mailbox_list_shows_imap_state(client, as_role, factory, session, now):  # noqa: F811
    as_role("admin")
    factory.mailbox(email="a-none@example.org")
    factory.mailbox(email="b-ok@example.org", imap_host="imap.ok.test", imap_checked_at=now)
    factory.mailbox(email="c-bad@example.org", imap_host="imap.bad.test", imap_failures=3, imap_checked_at=now,
                    imap_error="LOGIN failed: <wrong password>")
    session.commit()
    html = client.get("/settings/mailboxes").get_data(as_text=True)
    assert "not set" in html and "ok · checked 14 Dec" in html
    assert "flagged: LOGIN failed: &lt;wrong password&gt;" in html and "imap-flagged" in html


def test_workspace_reply_stops_company_toggle_saves(client, as_role, session):
    as_role("admin")
    form = {"company_name": "Acme", "postal_address": "1 Main St", "days": ["mon", "tue"], "window_start": "09:00",
            "window_end": "17:00", "fallback_timezone": "Europe/Vilnius"}
    assert 'name="reply_stops_company"' in client.get("/settings/workspace").get_data(as_text=True)
    assert client.post("/settings/workspace", data={**form, "reply_stops_company": "1"}).status_code == 302
    assert session.scalars(select(Workspace)).one().reply_stops_company is True
    html = client.get("/settings/workspace").get_data(as_text=True)
    assert re.search(r'name="reply_stops_company" value="1"\s+checked', html)
    client.post("/settings/workspace", data=form)
    session.expire_all()
    assert session.scalars(select(Workspace)).one().reply_stops_company is False


# ---- the prospect page ---------------------------------------------------------------------------

def test_timeline_links_for_managers_quotes_for_owners(client, as_role, session, corpus_world, now):  # noqa: F811
    result = _reply(session, now, body="Sounds interesting <b>really</b>, call me Thursday?\n\n"
                                       "On Mon, 7 Dec 2026 Rita wrote:\n> our pitch")
    ooo = _out_of_office(session, now)
    dana = corpus_world["prospects"]["dana.kowalski@acme-corp.test"]
    jurgen = corpus_world["prospects"]["j.mueller@nordwerk.test"]

    as_role("manager")
    html = client.get(f"/prospects/{dana.id}").get_data(as_text=True)
    assert f'href="/inbound/{result.id}"' in html and "View message" in html
    assert html.count('class="enrolment-cause"') == 1  # the exited enrolment says what stopped it
    assert "tone-positive" in html and "call me Thursday" not in html
    client.post("/logout")

    assert login(client, corpus_world["rep"].email).status_code == 302  # Rita owns the prospects
    html = client.get(f"/prospects/{dana.id}").get_data(as_text=True)
    assert "/inbound/" not in html
    assert "call me Thursday" in html and "&lt;b&gt;really&lt;/b&gt;" in html and "our pitch" not in html
    assert "Re: Quick question" in html
    html = client.get(f"/prospects/{jurgen.id}").get_data(as_text=True)
    assert "Out of office" in html and "Back 2027-01-05" in html and "sequence resumes" in html
    assert "wieder im Büro" in html and f"/inbound/{ooo.id}" not in html
    client.post("/logout")

    as_role("rep")  # another rep: sees that a reply came, not its words
    html = client.get(f"/prospects/{dana.id}").get_data(as_text=True)
    assert "Replied" in html and "call me Thursday" not in html and "/inbound/" not in html
    assert "visible to the prospect's owner and managers" in html
