"""Over-long mailbox fields are a 422 naming the field, and no secret (even encrypted) reaches a log."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from sequencer.models import Mailbox
from sequencer.platform.security import SecretBox

PASSWORD = "pw-Kx93-never-in-logs"
BOX = {"email": "ona@example.com", "transport": "smtp", "smtp_host": "smtp.example.com",
       "smtp_username": "ona", "smtp_password": PASSWORD}


@pytest.mark.parametrize("field, length", [("name", 201), ("smtp_host", 256), ("smtp_username", 321),
                                           ("imap_host", 256), ("imap_username", 321), ("smtp_password", 1025),
                                           ("imap_password", 1025)])
def test_an_over_long_field_is_422_naming_it_and_nothing_is_logged(api, session, caplog, field, length):
    caplog.set_level(logging.DEBUG)
    res = api("admin").post("/api/v1/mailboxes", json={**BOX, field: "x" * length})
    assert res.status_code == 422, res.json
    assert res.json["error"]["details"][0]["field"] == field
    assert session.scalars(select(Mailbox)).all() == []
    assert PASSWORD not in caplog.text and "gAAAAA" not in caplog.text  # Fernet tokens start so


def test_a_name_at_the_limit_is_stored(api):
    res = api("admin").post("/api/v1/mailboxes", json={**BOX, "name": "Ž" * 200})
    assert res.status_code == 201 and res.json["name"] == "Ž" * 200


def test_database_errors_never_carry_the_encrypted_password(app, session, caplog):
    caplog.set_level(logging.DEBUG)
    token = SecretBox(app.config["SECRET_KEY"]).encrypt(PASSWORD)
    row = {"email": "dup@example.com", "name": "", "smtp_password_encrypted": token}
    session.execute(insert(Mailbox).values(**row))
    with pytest.raises(IntegrityError) as info:
        session.execute(insert(Mailbox).values(**row))
    session.rollback()
    logging.getLogger("test").exception("what an unhandled error would log", exc_info=info.value)
    assert token not in str(info.value) and token not in caplog.text
