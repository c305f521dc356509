"""Settings: admin-only, creates users and mailboxes through the shared services, and tests SMTP for real."""
from __future__ import annotations

from sqlalchemy import select

from sequencer.models import Mailbox, User, Workspace
from sequencer.models.mail import SmtpSecurity, Transport
from sequencer.platform.security import SecretBox

HTMX = {"HX-Request": "true"}


def _smtp_mailbox(factory, session, port: int, **kw) -> Mailbox:
    mailbox = factory.mailbox(email="sales@example.org", name="Sales", transport=Transport.SMTP,
                              smtp_host="127.0.0.1", smtp_port=port, smtp_security=SmtpSecurity.NONE, **kw)
    session.commit()
    return mailbox


def test_settings_forbidden_for_rep_and_manager(client, as_role):
    as_role("rep")
    assert client.get("/settings").status_code == 403
    assert client.post("/settings/users", data={"email": "x@example.com"}).status_code == 403
    client.post("/logout")
    as_role("manager")
    assert client.get("/settings/mailboxes").status_code == 403


def test_settings_lists_users(client, as_role, factory, session):
    as_role("admin", name="Ada Admin")
    factory.user("rep", name="Rimas Rep", email="rimas@example.com")
    session.commit()
    html = client.get("/settings").get_data(as_text=True)
    assert "Ada Admin" in html and "Rimas Rep" in html and "rimas@example.com" in html
    assert "Deactivate" in html


def test_create_user_through_form(client, as_role, session):
    as_role("admin")
    response = client.post("/settings/users", data={
        "email": "New.Rep@Example.com", "name": "Nauja Rep", "role": "rep",
        "timezone": "Europe/Berlin", "password": "temporary-pass-1"}, follow_redirects=True)
    assert response.status_code == 200
    assert b"User new.rep@example.com created" in response.data
    user = session.scalars(select(User).where(User.email == "new.rep@example.com")).one()
    assert user.name == "Nauja Rep" and user.role.value == "rep" and user.timezone == "Europe/Berlin"
    assert "temporary-pass-1" not in user.password_hash


def test_create_user_errors_show_inline(client, as_role, session):
    as_role("admin")
    response = client.post("/settings/users", data={"email": "short@example.com", "name": "Short", "role": "rep",
                                                    "timezone": "Europe/Vilnius", "password": "short"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "password: must be at least 8 characters" in html
    assert 'value="short@example.com"' in html  # the form keeps what was typed
    response = client.post("/settings/users", data={"email": "tz@example.com", "role": "rep",
                                                    "timezone": "Mars/Olympus", "password": "long enough pw"})
    assert "unknown IANA time zone" in response.get_data(as_text=True)
    assert session.scalars(select(User).where(User.email.in_(["short@example.com", "tz@example.com"]))).first() is None


def test_deactivate_and_reactivate_user(client, as_role, factory, session):
    admin = as_role("admin")
    rep = factory.user("rep", name="Leaving Rep")
    session.commit()
    response = client.post(f"/settings/users/{rep.id}/active", data={"active": "0"}, follow_redirects=True)
    assert b"Leaving Rep is now deactivated." in response.data
    session.refresh(rep)
    assert rep.active is False
    client.post(f"/settings/users/{rep.id}/active", data={"active": "1"})
    session.refresh(rep)
    assert rep.active is True
    response = client.post(f"/settings/users/{admin.id}/active", data={"active": "0"}, follow_redirects=True)
    assert b"you cannot deactivate yourself" in response.data
    session.refresh(admin)
    assert admin.active is True


def test_create_mailbox_encrypts_password(client, as_role, session, app):
    admin = as_role("admin")
    response = client.post("/settings/mailboxes", data={
        "email": "ona@example.org", "name": "Ona", "transport": "smtp", "smtp_host": "smtp.sales.test",
        "smtp_port": "587", "smtp_username": "ona", "smtp_password": "s3cret-Pa55", "smtp_security": "starttls",
        "daily_limit": "150", "min_interval_seconds": "90", "owner_id": str(admin.id)}, follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Mailbox ona@example.org added." in html and "smtp.sales.test:587" in html and "150/day" in html
    mailbox = session.scalars(select(Mailbox).where(Mailbox.email == "ona@example.org")).one()
    assert mailbox.daily_limit == 150 and mailbox.min_interval_seconds == 90 and mailbox.owner_id == admin.id
    assert mailbox.smtp_password_encrypted and "s3cret-Pa55" not in mailbox.smtp_password_encrypted
    assert SecretBox(app.config["SECRET_KEY"]).decrypt(mailbox.smtp_password_encrypted) == "s3cret-Pa55"
    assert "s3cret-Pa55" not in client.get(f"/settings/mailboxes/{mailbox.id}").get_data(as_text=True)


def test_create_mailbox_error_shows_inline(client, as_role, session):
    as_role("admin")
    response = client.post("/settings/mailboxes", data={"email": "x@example.org", "transport": "smtp",
                                                        "smtp_host": "", "smtp_password": "pw"})
    assert response.status_code == 422
    assert b"smtp_host: is required for the smtp transport" in response.data
    assert session.scalars(select(Mailbox)).first() is None


def test_edit_mailbox_keeps_password_when_empty(client, as_role, factory, session, app):
    as_role("admin")
    box = SecretBox(app.config["SECRET_KEY"])
    mailbox = _smtp_mailbox(factory, session, 2525, smtp_password_encrypted=box.encrypt("old-password"))
    html = client.get(f"/settings/mailboxes/{mailbox.id}").get_data(as_text=True)
    assert 'name="smtp_password" value=""' in html and "Leave empty to keep the stored password." in html
    response = client.post(f"/settings/mailboxes/{mailbox.id}", data={
        "email": mailbox.email, "name": "Renamed", "transport": "smtp", "smtp_host": "mail.sender.test",
        "smtp_port": "2525", "smtp_security": "none", "smtp_password": "", "daily_limit": "80",
        "min_interval_seconds": "30", "owner_id": ""})
    assert response.status_code == 302
    session.refresh(mailbox)
    assert mailbox.name == "Renamed" and mailbox.smtp_host == "mail.sender.test" and mailbox.daily_limit == 80
    assert box.decrypt(mailbox.smtp_password_encrypted) == "old-password"


def test_send_test_email_accepted(client, as_role, factory, session, smtp_server):
    as_role("admin")
    mailbox = _smtp_mailbox(factory, session, smtp_server.port)
    response = client.post(f"/settings/mailboxes/{mailbox.id}/test", data={"to": "boss@example.com"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html  # a fragment for htmx to swap in
    assert "result-ok" in html and "250 2.0.0 queued" in html
    (envelope,) = smtp_server.handler.envelopes
    assert envelope.mail_from == "sales@example.org" and envelope.rcpt_tos == ["boss@example.com"]
    assert b"Sequencer test email" in envelope.content


def test_send_test_email_refused(client, as_role, factory, session, refusing_smtp_server):
    as_role("admin")
    mailbox = _smtp_mailbox(factory, session, refusing_smtp_server.port)
    response = client.post(f"/settings/mailboxes/{mailbox.id}/test", data={"to": "ghost@example.com"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert "result-fail" in html and "550 5.1.1 no such user" in html
    assert refusing_smtp_server.handler.messages == []


def test_send_test_email_without_htmx_flashes(client, as_role, factory, session, smtp_server):
    as_role("admin")
    mailbox = _smtp_mailbox(factory, session, smtp_server.port)
    response = client.post(f"/settings/mailboxes/{mailbox.id}/test", data={"to": "not an email"},
                           follow_redirects=True)
    assert b"to: " in response.data and b"flash-error" in response.data


def test_edit_page_has_htmx_test_form(client, as_role, factory, session):
    as_role("admin")
    mailbox = _smtp_mailbox(factory, session, 2525)
    html = client.get(f"/settings/mailboxes/{mailbox.id}").get_data(as_text=True)
    assert f'hx-post="/settings/mailboxes/{mailbox.id}/test"' in html and 'hx-target="#test-result"' in html


def test_workspace_settings_save_and_validate(client, as_role, session):
    as_role("admin")
    assert b"Default sending schedule" in client.get("/settings/workspace").data
    response = client.post("/settings/workspace", data={
        "company_name": "Baltic Sales UAB", "postal_address": "Gedimino pr. 1, Vilnius",
        "days": ["mon", "tue", "wed"], "window_start": "08:30", "window_end": "16:00",
        "fallback_timezone": "Europe/Riga"}, follow_redirects=True)
    assert b"Workspace settings saved." in response.data
    ws = session.scalars(select(Workspace)).one()
    session.refresh(ws)
    assert ws.company_name == "Baltic Sales UAB" and ws.postal_address == "Gedimino pr. 1, Vilnius"
    assert ws.default_schedule["days"] == ["mon", "tue", "wed"]
    assert ws.default_schedule["window_start"] == "08:30" and ws.default_schedule["fallback_timezone"] == "Europe/Riga"
    assert ws.default_schedule["holidays"] == "prospect"  # untouched keys survive
    response = client.post("/settings/workspace", data={"company_name": "X", "days": ["mon"], "window_start": "17:00",
                                                        "window_end": "09:00", "fallback_timezone": "Europe/Riga"})
    assert response.status_code == 422 and b"window_end: must be after the window start" in response.data
    session.refresh(ws)
    assert ws.company_name == "Baltic Sales UAB"
