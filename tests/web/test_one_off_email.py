"""Issue 23: "Send email" on a prospect's page — the rep's own mailboxes only, refusals in words with the fields kept,
the send job delivers it, and it shows on the timeline and in the Outbox's one-off view."""
from __future__ import annotations

from rq import SimpleWorker
from sqlalchemy import func, select

from sequencer.models import OneOffEmail, OneOffState, ProspectStatus
from sequencer.platform import queues
from workers.context import bind_app


def _setup(as_role, factory, session):
    rep = as_role("rep", signature="Rūta\nKvitas")
    mine = factory.mailbox(email="ruta@kvitas-demo.com", owner_id=rep.id)  # the outbox transport: files
    theirs = factory.mailbox(email="jonas@kvitas-demo.com", owner_id=factory.user("rep").id)
    prospect = factory.prospect(first_name="Ona", email="ona@grudai.example", owner_id=rep.id)
    session.commit()
    return rep, mine, theirs, prospect


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(OneOffEmail))


def test_a_rep_sends_a_one_off_from_the_prospect_page(client, as_role, factory, session, app, redis_conn):
    rep, mine, theirs, prospect = _setup(as_role, factory, session)
    page = client.get(f"/prospects/{prospect.id}").get_data(as_text=True)
    form = page.split('id="send-email"', 1)[1].split("</form>", 1)[0]
    assert "ruta@kvitas-demo.com" in form and "jonas@kvitas-demo.com" not in form  # only their own mailboxes

    r = client.post(f"/prospects/{prospect.id}/emails", data={
        "mailbox_id": str(mine.id), "subject": "Thursday, {{ prospect.first_name }}?", "body": "Hi {{ prospect.first_name }}"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/prospects/{prospect.id}#timeline")
    row = session.scalars(select(OneOffEmail)).one()
    assert (row.state, row.user_id, row.mailbox_id) == (OneOffState.QUEUED, rep.id, mine.id)

    bind_app(app)
    SimpleWorker([queues.queue(queues.SEND, redis_conn)], connection=redis_conn).work(burst=True)
    session.expire_all()
    assert session.get(OneOffEmail, row.id).state == OneOffState.SENT

    timeline = client.get(f"/prospects/{prospect.id}").get_data(as_text=True).split("<h2>Timeline</h2>", 1)[1]
    assert "one-off email" in timeline and "Thursday, Ona?" in timeline
    outbox = client.get("/outbox?view=one_off").get_data(as_text=True)
    assert 'id="one-off-list"' in outbox and "Thursday, Ona?" in outbox and "pill-sent" in outbox


def test_refusals_keep_the_fields_and_another_reps_mailbox_is_forbidden(client, as_role, factory, session):
    rep, mine, theirs, prospect = _setup(as_role, factory, session)
    r = client.post(f"/prospects/{prospect.id}/emails", data={
        "mailbox_id": str(mine.id), "subject": "", "body": "Hi,\n\n[One line about their company]"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "give it a subject" in html
    assert "[One line about their company]</textarea>" in html  # the text is kept to fix
    r = client.post(f"/prospects/{prospect.id}/emails", data={
        "mailbox_id": str(mine.id), "subject": "Hello", "body": "Hi,\n\n[One line about their company]"})
    assert r.status_code == 422 and "replace the placeholder [One line about their company]" in r.get_data(as_text=True)

    assert client.post(f"/prospects/{prospect.id}/emails", data={
        "mailbox_id": str(theirs.id), "subject": "Hello", "body": "Hi"}).status_code == 403
    other = factory.prospect(owner_id=factory.user("rep").id)
    session.commit()
    assert client.post(f"/prospects/{other.id}/emails", data={
        "mailbox_id": str(mine.id), "subject": "Hello", "body": "Hi"}).status_code == 403

    prospect.status = ProspectStatus.UNSUBSCRIBED
    session.commit()
    r = client.post(f"/prospects/{prospect.id}/emails", data={
        "mailbox_id": str(mine.id), "subject": "Hello again", "body": "Hi"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "Not sent: ona@grudai.example can&#39;t be emailed: they unsubscribed" in html
    assert 'value="Hello again"' in html
    assert _count(session) == 0


def test_preview_shows_the_email_as_it_would_go_out_and_saves_nothing(client, as_role, factory, session):
    rep, mine, theirs, prospect = _setup(as_role, factory, session)
    page = client.get(f"/prospects/{prospect.id}").get_data(as_text=True)
    assert f'hx-post="/prospects/{prospect.id}/emails/preview"' in page
    r = client.post(f"/prospects/{prospect.id}/emails/preview", headers={"HX-Request": "true"}, data={
        "mailbox_id": str(mine.id), "subject": "For {{ prospect.first_name }}", "body": "Hi {{ prospect.first_name }}"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<strong>For Ona</strong>" in html and "Hi Ona" in html
    assert "Rūta\nKvitas" in html.replace("\r\n", "\n") and "Unsubscribe" in html  # signature and footer included
    r = client.post(f"/prospects/{prospect.id}/emails/preview", headers={"HX-Request": "true"}, data={
        "mailbox_id": str(mine.id), "subject": "Hi", "body": "[Say why you are writing]"})
    assert "Can't send this yet: replace the placeholder [Say why you are writing]" in r.get_data(as_text=True)
    assert client.post(f"/prospects/{prospect.id}/emails/preview", data={
        "mailbox_id": str(theirs.id), "subject": "Hi", "body": "Hi"}).status_code == 403
    assert _count(session) == 0
