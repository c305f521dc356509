"""Open pixel, click redirect and unsubscribe: signed tokens, events, and GET never unsubscribing."""
import re

from sqlalchemy import select

from sequencer.mail import links
from sequencer.models import Enrollment, Event, ProspectStatus, StepRun, Suppression


def _sent(session, sink, enrol, cycle):
    prospect = enrol()
    cycle()
    html = sink.handler.parsed()[0].get_body(("html",)).get_content()
    return prospect, html


def _path(url: str) -> str:
    return url.replace("http://sequencer.test", "")


def test_open_pixel_records_an_open_for_the_variant(client, session, sink, enrol, cycle):
    _, html = _sent(session, sink, enrol, cycle)
    pixel = re.search(r'src="(http://sequencer.test/t/o/[^"]+)"', html).group(1)
    res = client.get(_path(pixel))
    assert res.status_code == 200 and res.mimetype == "image/gif"
    run = session.scalars(select(StepRun).where(StepRun.position == 1)).one()
    opened = session.scalars(select(Event).where(Event.kind == "opened")).one()
    assert (opened.step_run_id, opened.variant_id) == (run.id, run.variant_id)
    assert client.get("/t/o/forged.token").status_code == 200  # still a pixel, but nothing recorded
    assert len(session.scalars(select(Event).where(Event.kind == "opened")).all()) == 1


def test_click_redirects_only_to_the_signed_url(client, session, sink, enrol, cycle, app):
    _, html = _sent(session, sink, enrol, cycle)
    tracked = re.search(r'href="(http://sequencer.test/t/c/[^"]+)"', html).group(1)
    res = client.get(_path(tracked))
    assert res.status_code == 302 and res.headers["Location"] == "https://kvitas-demo.com/tour"
    assert session.scalars(select(Event.payload).where(Event.kind == "clicked")).one() == {
        "url": "https://kvitas-demo.com/tour"}
    token = tracked.rsplit("/", 1)[1]
    assert client.get(f"/t/c/{token[:-2]}xx").status_code == 404
    forged = links.sign("not-our-secret", links.CLICK, {"r": 1, "u": "https://evil.example"})
    assert client.get(f"/t/c/{forged}").status_code == 404
    swapped = links.sign(app.config["SECRET_KEY"], links.OPEN, {"r": 1})  # right key, wrong purpose
    assert client.get(f"/t/c/{swapped}").status_code == 404


def test_get_shows_a_confirmation_and_changes_nothing(client, session, sink, enrol, cycle):
    prospect, _ = _sent(session, sink, enrol, cycle)
    url = re.search(r"<(http://sequencer.test/u/[^>]+)>", sink.handler.parsed()[0]["List-Unsubscribe"]).group(1)
    res = client.get(_path(url))
    assert res.status_code == 200 and "Unsubscribe?" in res.get_data(as_text=True)
    session.refresh(prospect)
    assert prospect.status == ProspectStatus.ACTIVE


def test_one_click_post_unsubscribes_without_cookies_or_csrf(app_config, session, sink, enrol, cycle):
    from sequencer.app import create_app

    prospect, _ = _sent(session, sink, enrol, cycle)
    url = re.search(r"<(http://sequencer.test/u/[^>]+)>", sink.handler.parsed()[0]["List-Unsubscribe"]).group(1)
    strict = create_app({**app_config, "WTF_CSRF_ENABLED": True}).test_client()
    res = strict.post(_path(url), data={"List-Unsubscribe": "One-Click"})
    assert res.status_code == 200 and "unsubscribed" in res.get_data(as_text=True)
    session.expire_all()
    assert prospect.status == ProspectStatus.UNSUBSCRIBED
    assert session.scalars(select(Enrollment.exit_reason)).all() == ["unsubscribed"]
    assert session.scalars(select(Suppression.reason)).all() == ["unsubscribed"]
    event = session.scalars(select(Event).where(Event.kind == "unsubscribed")).one()
    assert event.payload == {"source": "one_click"} and event.step_run_id is not None
    assert strict.post(_path(url), data={"List-Unsubscribe": "One-Click"}).status_code == 200  # idempotent
    assert len(session.scalars(select(Event).where(Event.kind == "unsubscribed")).all()) == 1


def test_unsubscribe_tokens_cannot_be_forged_or_moved(client, factory, session, app):
    victim = factory.prospect()
    session.commit()
    forged = links.sign("guessed-secret", links.UNSUBSCRIBE, {"p": victim.id, "r": None})
    assert client.post(f"/u/{forged}").status_code == 404
    assert client.get("/u/garbage").status_code == 404
    session.refresh(victim)
    assert victim.status == ProspectStatus.ACTIVE
