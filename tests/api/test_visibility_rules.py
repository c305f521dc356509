"""One rule per view on both doors: mailbox connection details (own mailboxes for reps) and reports (managers)."""
from __future__ import annotations

import pytest

from sequencer.models import SequenceStatus
from tests.conftest import login

CONNECTION = ("smtp_host", "smtp_port", "smtp_username", "imap_host", "imap_port", "imap_username", "imap_error")


@pytest.fixture
def boxes(factory, session):
    rep, other = factory.user("rep"), factory.user("rep")
    mine = factory.mailbox(owner_id=rep.id, smtp_host="smtp.mine.test", smtp_port=587, smtp_username="me",
                           imap_host="imap.mine.test", imap_username="me")
    theirs = factory.mailbox(owner_id=other.id, smtp_host="smtp.theirs.test", smtp_port=587,
                             smtp_username="secret-user", imap_host="imap.theirs.test", imap_username="secret-user",
                             imap_error="LOGIN failed for secret-user", imap_folders=["Private"])
    session.commit()
    return rep, mine, theirs


def _listed(res) -> dict[int, dict]:
    assert res.status_code == 200, res.json
    return {m["id"]: m for m in res.json}


def test_a_rep_sees_connection_details_of_their_own_mailboxes_only(client, factory, boxes):
    rep, mine, theirs = boxes
    headers = {"Authorization": f"Bearer {factory.token(rep)}"}
    res = client.get("/api/v1/mailboxes", headers=headers)
    listed = _listed(res)
    assert listed[mine.id]["smtp_host"] == "smtp.mine.test" and listed[mine.id]["imap_username"] == "me"
    other = listed[theirs.id]
    assert other["email"] == theirs.email  # still listed: who sends from where is not a secret
    assert all(other[key] is None for key in CONNECTION) and other["imap_folders"] == []
    text = res.get_data(as_text=True)
    assert "smtp.theirs.test" not in text and "secret-user" not in text and "Private" not in text


def test_managers_and_admins_see_every_mailboxs_connection(api, boxes):
    _, _, theirs = boxes
    for role in ("manager", "admin"):
        assert _listed(api(role).get("/api/v1/mailboxes"))[theirs.id]["smtp_host"] == "smtp.theirs.test"


def test_reps_cannot_open_the_mailbox_settings_page(client, boxes):
    rep, _, _ = boxes
    login(client, rep.email)
    res = client.get("/settings/mailboxes")
    assert res.status_code == 403 and "smtp.theirs.test" not in res.get_data(as_text=True)


def test_reports_follow_one_rule_on_the_api_and_the_ui(api, client, factory, session):
    seq = factory.sequence(steps=1, status=SequenceStatus.ACTIVE)
    rep = api("rep")
    session.commit()
    assert rep.get(f"/api/v1/sequences/{seq.id}/report").status_code == 403
    assert api("manager").get(f"/api/v1/sequences/{seq.id}/report").status_code == 200
    login(client, rep.user.email)
    assert client.get(f"/reports/sequences/{seq.id}").status_code == 403
