from sqlalchemy import select

from sequencer.models import Mailbox
from sequencer.platform.security import SecretBox

SMTP_BOX = {"email": "Ruta@Example.com", "name": "Rūta", "transport": "smtp", "smtp_host": "smtp.example.com",
            "smtp_port": 587, "smtp_username": "ruta", "smtp_password": "s3cret-pass", "smtp_starttls": True,
            "daily_limit": 150, "min_interval_seconds": 90}


def test_admin_creates_mailbox_and_never_gets_the_password_back(api, session, app):
    caller = api("admin")
    res = caller.post("/api/v1/mailboxes", json={**SMTP_BOX, "owner_id": caller.user.id})
    assert res.status_code == 201, res.json
    body = res.json
    assert body["email"] == "ruta@example.com"
    assert body["smtp_security"] == "starttls" and body["smtp_starttls"] is True
    assert body["smtp_password_set"] is True
    assert "s3cret-pass" not in res.get_data(as_text=True)
    assert "smtp_password" not in body
    listed = caller.get("/api/v1/mailboxes")
    assert "s3cret-pass" not in listed.get_data(as_text=True)
    assert [m["email"] for m in listed.json] == ["ruta@example.com"]

    stored = session.scalars(select(Mailbox)).one()
    assert "s3cret-pass" not in stored.smtp_password_encrypted
    assert SecretBox(app.config["SECRET_KEY"]).decrypt(stored.smtp_password_encrypted) == "s3cret-pass"


def test_duplicate_mailbox_is_409_with_existing_id(api):
    caller = api("admin")
    first = caller.post("/api/v1/mailboxes", json={"email": "a@example.com"})
    again = caller.post("/api/v1/mailboxes", json={"email": " A@example.com "})
    assert again.status_code == 409
    assert again.json["error"]["code"] == "duplicate"
    assert again.json["error"]["existing_id"] == first.json["id"]


def test_invalid_mailbox_fields_are_422_naming_the_field(api):
    caller = api("admin")
    res = caller.post("/api/v1/mailboxes", json={"email": "not-an-email"})
    assert res.status_code == 422
    assert res.json["error"]["details"][0]["field"] == "email"

    res = caller.post("/api/v1/mailboxes", json={"email": "b@example.com", "daily_limit": 0})
    assert res.status_code == 422
    assert res.json["error"]["details"][0]["field"] == "daily_limit"

    res = caller.post("/api/v1/mailboxes", json={"email": "b@example.com", "transport": "smtp"})
    assert res.status_code == 422
    assert res.json["error"]["details"][0]["field"] == "smtp_host"

    res = caller.post("/api/v1/mailboxes", json={"email": "b@example.com", "surprise": 1})
    assert res.status_code == 422
    assert res.json["error"]["details"][0]["field"] == "surprise"


def test_non_object_body_is_422(api):
    res = api("admin").post("/api/v1/mailboxes", data="[1, 2", content_type="application/json")
    assert res.status_code == 422
    assert res.json["error"]["code"] == "validation_error"


def test_only_admins_create_mailboxes(api):
    res = api("manager").post("/api/v1/mailboxes", json={"email": "m@example.com"})
    assert res.status_code == 403
