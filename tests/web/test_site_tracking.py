"""The website snippet's server side: the script, the visitor token on the click redirect (listed sites only),
and the page-view endpoint that stores nothing it did not sign, nothing off-list, nothing under DNT/GPC."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from sequencer.mail import links
from sequencer.models import Activity, Prospect
from sequencer.scoring import config, visitor

SITE = "www.acme-site.example"


def _track(session, factory, enabled: bool = True) -> None:
    data = config.current(session).as_dict()
    data["tracking"] = {"enabled": enabled, "sites": [SITE]}
    config.save(session, data, factory.user("manager"))
    session.commit()


def _click(app, client, session, factory, target: str):
    enrollment = factory.enrollment()
    run = factory.step_run(enrollment)
    session.commit()
    url = links.click_url("", app.config["SECRET_KEY"], run.id, target)
    return enrollment.prospect_id, client.get(url)


def test_the_snippet_is_served_and_honours_dnt_and_gpc(client):
    r = client.get("/t/s.js")
    assert r.status_code == 200 and "javascript" in r.content_type
    body = r.get_data(as_text=True)
    assert "globalPrivacyControl" in body and "doNotTrack" in body and "data-site" in body


def test_click_redirect_adds_the_visitor_token_only_for_listed_sites(app, client, session, factory):
    _track(session, factory)
    pid, r = _click(app, client, session, factory, f"https://{SITE}/pricing?plan=pro")
    query = parse_qs(urlsplit(r.headers["Location"]).query)
    assert query["plan"] == ["pro"] and visitor.verify(app.config["SECRET_KEY"], query["sqv"][0]) == pid
    _, elsewhere = _click(app, client, session, factory, "https://other.example/pricing")
    assert elsewhere.headers["Location"] == "https://other.example/pricing"


def test_no_token_when_tracking_is_switched_off(app, client, session, factory):
    _track(session, factory, enabled=False)
    _, r = _click(app, client, session, factory, f"https://{SITE}/pricing")
    assert "sqv=" not in r.headers["Location"]


def _beacon(client, headers=None, **body):
    return client.post("/t/pv", data=json.dumps(body), content_type="text/plain", headers=headers or {})


def test_page_view_with_a_signed_token_scores(app, client, session, factory):
    _track(session, factory)
    p = factory.prospect()
    session.commit()
    token = visitor.sign(app.config["SECRET_KEY"], p.id)
    assert _beacon(client, token=token, url=f"https://{SITE}/pricing", title="Pricing").status_code == 204
    session.expire_all()
    assert session.get(Prospect, p.id).score_engagement == 10
    assert session.scalars(select(Activity.source)).all() == ["snippet"]


def test_page_view_endpoint_accepts_nothing_it_did_not_sign(app, client, session, factory):
    _track(session, factory)
    p = factory.prospect()
    session.commit()
    good = visitor.sign(app.config["SECRET_KEY"], p.id)
    forged = visitor.sign("someone-elses-secret", p.id)
    assert _beacon(client, token=forged, url=f"https://{SITE}/pricing").status_code == 400
    assert _beacon(client, token=good[:-2], url=f"https://{SITE}/pricing").status_code == 400
    assert _beacon(client, token=good, url="https://not-listed.example/pricing").status_code == 400
    assert client.post("/t/pv", data="not json", content_type="text/plain").status_code == 400
    assert _beacon(client, {"DNT": "1"}, token=good, url=f"https://{SITE}/pricing").status_code == 204
    assert _beacon(client, {"Sec-GPC": "1"}, token=good, url=f"https://{SITE}/pricing").status_code == 204
    assert session.scalars(select(Activity)).all() == []


def test_page_views_from_one_address_are_rate_limited(app, client, session, factory, redis_conn):
    _track(session, factory)
    p = factory.prospect()
    session.commit()
    token = visitor.sign(app.config["SECRET_KEY"], p.id)
    app.config["PAGE_VIEW_RATE_LIMIT"] = "2 per minute"
    answers = [_beacon(client, token=token, url=f"https://{SITE}/pricing").status_code for _ in range(3)]
    assert answers == [204, 204, 429]
    other = client.post("/t/pv", data=json.dumps({"token": token, "url": f"https://{SITE}/pricing"}),
                        content_type="text/plain", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert other.status_code == 204  # counted per address
