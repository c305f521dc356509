"""Each spam defence, with a test that fails if it breaks: honeypot, minimum fill time, rate limits, the
10-second duplicate window, role and disposable flags, links in names, the body cap."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sequencer.forms import spam
from sequencer.models import FormSubmission
from tests.forms.helpers import good_post, make_form, shown_token


@pytest.fixture
def form(session, factory):
    return make_form(session, factory.user("manager"), [factory.user("rep")])


def _count(session, **where):
    stmt = select(func.count(FormSubmission.id))
    for key, value in where.items():
        stmt = stmt.where(getattr(FormSubmission, key) == value)
    return session.scalar(stmt)


def test_honeypot_answers_received_but_stores_nothing(app, client, session, form):
    res = client.post(f"/f/{form.key}", json=good_post(app, form, website="http://spam.example"))
    assert res.status_code == 200 and res.get_json() == {"status": "received"}
    assert _count(session) == 0


def test_too_fast_is_refused_and_forged_timing_too(app, client, session, form):
    res = client.post(f"/f/{form.key}", json=good_post(app, form, _t=shown_token(app, form, seconds_ago=1)))
    assert res.status_code == 422 and "too quickly" in res.get_json()["error"]["message"]
    stamp = shown_token(app, form, seconds_ago=30).split(".")[0]
    res = client.post(f"/f/{form.key}", json=good_post(app, form, _t=f"{stamp}.forgedforgedforged00"))
    assert res.status_code == 422 and "not ours" in res.get_json()["error"]["message"]
    assert _count(session) == 0
    assert client.post(f"/f/{form.key}", json=good_post(app, form)).status_code == 200


def test_plain_html_post_without_timing_is_kept_and_flagged(app, client, session, form):
    res = client.post(f"/f/{form.key}", data=good_post(app, form, _t=None))
    assert res.status_code == 303 and res.headers["Location"].endswith(f"/f/{form.key}/thanks")
    assert session.scalars(select(FormSubmission.flags)).one() == ["unverified_timing"]


def test_rate_limit_per_address_is_a_429(app, client, session, form):
    app.config["FORM_IP_RATE_LIMIT"] = "3 per minute"
    codes = [client.post(f"/f/{form.key}", json=good_post(app, form, email=f"p{i}@acme.com")).status_code
             for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert _count(session) == 3


def test_double_click_within_ten_seconds_is_one_lead(app, client, session, form):
    body = good_post(app, form)
    assert client.post(f"/f/{form.key}", json=body).status_code == 200
    assert client.post(f"/f/{form.key}", json={**body, "email": "anna.berg+x@acme-corp.com"}).status_code == 200
    assert _count(session, status="received") == 1 and _count(session, status="duplicate") == 1


def test_duplicate_window_holds_without_redis_marker(app, session, form):
    from sequencer.forms import intake
    from sequencer.platform import clock

    meta = intake.Meta("1.2.3.4", "ua", None)
    now = clock.now()
    first = intake.receive(session, form, good_post(app, form), meta, now, app.config["SECRET_KEY"])
    second = intake.receive(session, form, good_post(app, form), meta, now, app.config["SECRET_KEY"])
    assert not first.duplicate and second.duplicate


def test_role_and_disposable_addresses_are_flagged_not_dropped(app, client, session, form):
    client.post(f"/f/{form.key}", json=good_post(app, form, email="info@acme.com"))
    client.post(f"/f/{form.key}", json=good_post(app, form, email="zed@mailinator.com"))
    flags = dict(session.execute(select(FormSubmission.email, FormSubmission.flags)).all())
    assert flags == {"info@acme.com": ["role_address"], "zed@mailinator.com": ["disposable_address"]}
    from sequencer.forms.handoff import panel

    sub = session.scalars(select(FormSubmission).where(FormSubmission.email == "info@acme.com")).one()
    assert "role address" in panel(form, sub)  # shown to the rep in the task


@pytest.mark.parametrize("name", ["<b>Anna</b>", "Visit https://cheap.example", "www.spam.ru", "Anna [url=x]"])
def test_links_or_html_in_names_are_refused(app, client, session, form, name):
    res = client.post(f"/f/{form.key}", json=good_post(app, form, first_name=name))
    assert res.status_code == 422
    assert res.get_json()["error"]["details"] == [{"field": "first_name", "message": "must not contain links or HTML"}]
    assert _count(session) == 0


def test_field_errors_on_the_hosted_page_are_tied_to_their_fields(app, client, form):
    res = client.post(f"/f/{form.key}", data=good_post(app, form, email="not-an-address", consent=None))
    html = res.get_data(as_text=True)
    assert res.status_code == 422
    assert 'aria-describedby="sf-email-error"' in html and 'id="sf-email-error"' in html
    assert 'id="sf-consent-error"' in html and 'value="Anna"' in html  # what was typed stays


def test_body_over_the_cap_is_a_413(app, client, session, form):
    res = client.post(f"/f/{form.key}", data=good_post(app, form, team_size="x" * (app.config["FORM_MAX_BYTES"] + 10)),
                      headers={"Accept": "application/json"})
    assert res.status_code == 413 and res.get_json()["error"]["code"] == "too_large"
    assert _count(session) == 0


def test_other_sites_may_not_post_and_cors_answers_only_allowed_ones(app, client, session, factory):
    form = make_form(session, factory.user("manager"), allowed_origins=["https://www.acme.com"])
    res = client.post(f"/f/{form.key}", json=good_post(app, form), headers={"Origin": "https://evil.example"})
    assert res.status_code == 403 and "Access-Control-Allow-Origin" not in res.headers
    res = client.post(f"/f/{form.key}", json=good_post(app, form), headers={"Origin": "https://www.acme.com"})
    assert res.status_code == 200 and res.headers["Access-Control-Allow-Origin"] == "https://www.acme.com"
    pre = client.options(f"/f/{form.key}", headers={"Origin": "https://www.acme.com"})
    assert pre.status_code == 204 and pre.headers["Access-Control-Allow-Origin"] == "https://www.acme.com"
    definition = client.get(f"/f/{form.key}/definition.json", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in definition.headers


def test_timing_token_is_bound_to_its_form():
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 1, 1, tzinfo=UTC)
    token = spam.timing_token("k", 1, now - timedelta(seconds=5))
    assert spam.fill_problem("k", 1, token, now) is None
    assert spam.fill_problem("k", 2, token, now) == "the form's timing token is not ours"
