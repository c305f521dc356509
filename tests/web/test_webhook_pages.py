"""Settings → Webhooks over the test client: roles, refusals on the form, the secret shown once, replay of a range."""
from __future__ import annotations

from sqlalchemy import select

from sequencer.models import WebhookDelivery, WebhookEndpoint
from sequencer.platform import clock
from sequencer.webhooks.pump import fan_out
from tests.conftest import login


def _manager(app, client, factory):
    user = factory.user("manager")
    factory.session.commit()
    with app.app_context():
        login(client, user.email)
    return user


def test_reps_get_403(app, client, factory):
    rep = factory.user("rep")
    factory.session.commit()
    with app.app_context():
        login(client, rep.email)
    assert client.get("/settings/webhooks").status_code == 403
    assert client.post("/settings/webhooks", data={"url": "https://example.com", "events": "*"}).status_code == 403


def test_the_secret_is_shown_on_the_page_after_adding_and_never_again(app, client, factory):
    _manager(app, client, factory)
    app.config["WEBHOOK_ALLOWED_PRIVATE"] = "127.0.0.1"
    r = client.post("/settings/webhooks", data={"url": "http://127.0.0.1:9/h", "events": "deal.*", "enabled": "1"})
    assert r.status_code == 302
    first = client.get(r.headers["Location"]).get_data(as_text=True)
    assert 'id="webhook-secret"' in first and "whsec_" in first
    again = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "whsec_" not in again


def test_a_refused_url_keeps_the_form_and_stores_nothing(app, client, factory, session):
    _manager(app, client, factory)
    r = client.post("/settings/webhooks", data={"url": "http://example.com/x", "events": "deal.*"})
    assert r.status_code == 422 and "https://" in r.get_data(as_text=True)
    assert session.scalars(select(WebhookEndpoint)).first() is None


def test_a_time_range_is_replayed(app, client, factory, session):
    _manager(app, client, factory)
    app.config["WEBHOOK_ALLOWED_PRIVATE"] = "127.0.0.1"
    location = client.post("/settings/webhooks", data={"url": "http://127.0.0.1:9/h", "events": "*"}).headers["Location"]
    factory.prospect()
    session.commit()
    fan_out(session, clock.now())
    d = session.scalars(select(WebhookDelivery)).one()
    d.status = "delivered"
    session.commit()
    endpoint_id = int(location.rstrip("/").rsplit("/", 1)[1])
    r = client.post(f"/settings/webhooks/{endpoint_id}/replay", data={"since": "2000-01-01T00:00",
                                                                       "until": "2100-01-01T00:00"})
    assert r.status_code == 302
    session.expire_all()
    assert session.scalars(select(WebhookDelivery)).one().status == "pending"
