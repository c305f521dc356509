"""With CSRF on (as in production) the one-off email form carries its token; a post without it sends nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sequencer.models import OneOffEmail
from tests.conftest import TEST_PASSWORD, csrf_token_from


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def test_the_form_needs_its_csrf_token(client, factory, session):
    rep = factory.user("rep")
    mailbox = factory.mailbox(owner_id=rep.id)
    prospect = factory.prospect(owner_id=rep.id)
    session.commit()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"email": rep.email, "password": TEST_PASSWORD,
                                       "csrf_token": token}).status_code == 302
    data = {"mailbox_id": str(mailbox.id), "subject": "Hello", "body": "Hi"}
    assert client.post(f"/prospects/{prospect.id}/emails", data=data).status_code == 400
    assert session.scalar(select(func.count()).select_from(OneOffEmail)) == 0
    form = client.get(f"/prospects/{prospect.id}").get_data(as_text=True).split('id="send-email"', 1)[1]
    r = client.post(f"/prospects/{prospect.id}/emails", data={**data, "csrf_token": csrf_token_from(form)})
    assert r.status_code == 302
    assert session.scalar(select(func.count()).select_from(OneOffEmail)) == 1
