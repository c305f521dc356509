"""Double opt-in: only the confirmation goes out until the signed, single-use link bound to the address is
clicked; the click is in the consent log with time and IP; forged, re-bound and reused links are refused."""
from __future__ import annotations

import re
from email import message_from_bytes, policy
from pathlib import Path

from rq import SimpleWorker
from sqlalchemy import func, select

from sequencer.forms import optin
from sequencer.models import Enrollment, FormConsent, FormSubmission, Prospect, StepRun, Task
from sequencer.platform import queues
from tests.forms.helpers import good_post, make_form
from workers.context import bind_app


def _drain(app, redis_conn):
    bind_app(app)
    names = (queues.DEFAULT, queues.DISPATCH, queues.SEND)
    SimpleWorker([queues.queue(n, redis_conn) for n in names], connection=redis_conn).work(burst=True)


def _outbox(app) -> list:
    files = sorted(Path(app.config["OUTBOX_DIR"]).rglob("*.eml"))
    return [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]


def test_nothing_but_the_confirmation_until_the_click(app, client, session, factory, redis_conn):
    manager, rep = factory.user("manager"), factory.user("rep")
    factory.mailbox(owner_id=rep.id)
    form = make_form(session, manager, [rep], double_opt_in=True)
    client.post(f"/f/{form.key}", json=good_post(app, form))
    _drain(app, redis_conn)
    session.expire_all()
    sub = session.scalars(select(FormSubmission)).one()
    assert sub.status == "pending_confirmation"
    assert session.scalar(select(func.count(Prospect.id))) == 0
    assert session.scalar(select(func.count(StepRun.id))) == 0 and session.scalar(select(func.count(Task.id))) == 0
    mails = _outbox(app)
    assert len(mails) == 1 and mails[0]["To"] == sub.email
    link = re.search(r"http://\S+/f/confirm/\S+", mails[0].get_content()).group(0)
    path = link.split("sequencer.test", 1)[1]

    assert "Confirm my email" in client.get(path).get_data(as_text=True)  # a GET (mail scanner) changes nothing
    session.expire_all()
    assert session.get(FormSubmission, sub.id).confirmed_at is None
    res = client.post(path, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert res.status_code == 200 and "Confirmed" in res.get_data(as_text=True)
    consent = session.scalars(select(FormConsent).where(FormConsent.action == "confirmed")).one()
    assert consent.ip == "203.0.113.9" and consent.email == sub.email and consent.at is not None
    assert client.post(path).status_code == 409  # single use

    _drain(app, redis_conn)
    session.expire_all()
    sub = session.get(FormSubmission, sub.id)
    assert sub.status == "processed" and sub.prospect_id is not None
    assert session.scalar(select(func.count(Enrollment.id))) == 1
    assert len(_outbox(app)) == 2  # the welcome email, after the click


def test_forged_and_rebound_tokens_are_refused(app, client, session, factory):
    form = make_form(session, factory.user("manager"), double_opt_in=True)
    client.post(f"/f/{form.key}", json=good_post(app, form))
    sub = session.scalars(select(FormSubmission)).one()
    sub.status = "pending_confirmation"
    session.commit()
    forged = optin.token("not-our-secret", sub)
    assert client.post(f"/f/confirm/{forged}").status_code == 404
    sub.email = "someone.else@acme.com"  # a token for Anna does not confirm another address
    good_for_anna = optin.token(app.config["SECRET_KEY"], FormSubmission(id=sub.id, email="anna.berg@acme-corp.com"))
    session.commit()
    assert client.post(f"/f/confirm/{good_for_anna}").status_code == 404
    session.expire_all()
    assert session.get(FormSubmission, sub.id).confirmed_at is None
    assert session.scalar(select(func.count(FormConsent.id)).where(FormConsent.action == "confirmed")) == 0
