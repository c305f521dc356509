"""With CSRF on (as in production) forms and htmx posts carry the token; list pages don't query per row."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from sequencer.extensions import db
from tests.conftest import TEST_PASSWORD, csrf_token_from


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def _login(client, email):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": TEST_PASSWORD, "csrf_token": token})


def test_post_without_token_is_refused_and_htmx_header_is_accepted(client, factory, session):
    admin = factory.user("admin")
    mailbox = factory.mailbox(email="outbox@example.org")
    session.commit()
    assert _login(client, admin.email).status_code == 302
    html = client.get(f"/settings/mailboxes/{mailbox.id}").get_data(as_text=True)
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    assert f'"X-CSRFToken": "{meta}"' in html  # hx-headers on <body> sends it with every htmx request
    refused = client.post(f"/settings/mailboxes/{mailbox.id}/test", data={"to": "a@example.com"},
                          headers={"HX-Request": "true"})
    assert refused.status_code == 400 and b"Form expired" in refused.data
    ok = client.post(f"/settings/mailboxes/{mailbox.id}/test", data={"to": "a@example.com"},
                     headers={"HX-Request": "true", "X-CSRFToken": meta})
    assert ok.status_code == 200 and b"outbox transport" in ok.data


def _count_queries(client, path: str) -> int:
    statements: list[str] = []

    def _record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", _record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", _record)
    return len(statements)


def test_list_pages_do_not_query_per_row(client, factory, session):
    from sequencer.models import StepRunState
    from sequencer.platform import clock

    admin = factory.user("admin")
    session.commit()
    _login(client, admin.email)

    def add_rows(n: int) -> None:
        mailbox = factory.mailbox()
        for _ in range(n):
            seq = factory.sequence(steps=2)
            prospect = factory.prospect(company=factory.company(), persona=None, owner_id=admin.id)
            enrollment = factory.enrollment(prospect=prospect, sequence=seq, mailbox_id=mailbox.id)
            factory.step_run(enrollment, mailbox_id=mailbox.id, state=StepRunState.SENT, sent_at=clock.now(),
                             subject="s")
            factory.task("call", owner_id=admin.id, prospect_id=prospect.id, title="t")
        session.commit()

    paths = ["/sequences", "/prospects", "/tasks", "/outbox", "/reports", "/settings/mailboxes"]
    add_rows(2)
    before = {p: _count_queries(client, p) for p in paths}
    add_rows(8)
    after = {p: _count_queries(client, p) for p in paths}
    assert after == before
