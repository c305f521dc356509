"""POST /api/v1/prospects/{id}/emails: the same service and job as the prospect page (responses checked against
the OpenAPI document by the test client)."""
from __future__ import annotations

from rq import SimpleWorker

from sequencer.models import ProspectStatus
from sequencer.platform import queues
from workers.context import bind_app


def test_a_rep_sends_a_one_off_through_the_api(api, factory, session, app, redis_conn):
    rep = api("rep")
    mailbox = factory.mailbox(email="ruta@kvitas-demo.com", owner_id=rep.user.id)
    prospect = factory.prospect(first_name="Ona", owner_id=rep.user.id)
    session.commit()
    r = rep.post(f"/api/v1/prospects/{prospect.id}/emails",
                 {"mailbox_id": mailbox.id, "subject": "Hi {{ prospect.first_name }}", "body": "Shall we talk?"})
    assert r.status_code == 202, r.json
    assert r.json["state"] == "queued" and r.json["prospect_id"] == prospect.id and r.json["sent_at"] is None

    bind_app(app)
    SimpleWorker([queues.queue(queues.SEND, redis_conn)], connection=redis_conn).work(burst=True)
    listed = rep.get(f"/api/v1/prospects/{prospect.id}/emails")
    assert listed.status_code == 200 and listed.headers["X-Total-Count"] == "1"
    [row] = listed.json
    assert row["state"] == "sent" and row["message_id"].startswith("<oo") and row["subject"] == "Hi {{ prospect.first_name }}"


def test_the_api_refuses_like_the_page(api, factory, session):
    rep = api("rep")
    mine = factory.mailbox(owner_id=rep.user.id)
    theirs = factory.mailbox(owner_id=factory.user("rep").id)
    prospect = factory.prospect(owner_id=rep.user.id)
    session.commit()
    url = f"/api/v1/prospects/{prospect.id}/emails"
    r = rep.post(url, {"mailbox_id": mine.id, "subject": " ", "body": "Hi"})
    assert r.status_code == 422 and r.json["error"]["details"][0]["field"] == "subject"
    r = rep.post(url, {"mailbox_id": mine.id, "subject": "Hi", "body": "[Add a line about them here]"})
    assert r.status_code == 422 and "placeholder" in r.json["error"]["details"][0]["message"]
    r = rep.post(url, {"subject": "Hi", "body": "Hi"})
    assert r.status_code == 422 and r.json["error"]["details"][0]["field"] == "mailbox_id"
    assert rep.post(url, {"mailbox_id": theirs.id, "subject": "Hi", "body": "Hi"}).status_code == 403
    assert rep.post("/api/v1/prospects/999999/emails", {"mailbox_id": mine.id, "subject": "Hi",
                                                       "body": "Hi"}).status_code == 404
    prospect.status = ProspectStatus.BOUNCED
    session.commit()
    r = rep.post(url, {"mailbox_id": mine.id, "subject": "Hi", "body": "Hi"})
    assert r.status_code == 409 and "their address bounced" in r.json["error"]["message"]
    other = factory.prospect(owner_id=factory.user("rep").id)
    session.commit()
    assert rep.get(f"/api/v1/prospects/{other.id}/emails").status_code == 403
