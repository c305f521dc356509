"""Random JSON bodies and query values at every /api/v1 endpoint, as an admin, a manager and a rep: never a 5xx.

The endpoints come from the app's url_map and their fields from the OpenAPI document, so a new endpoint is
fuzzed without touching this file. Values lean on what broke before: NUL, lone surrogates, ids past 2^31,
page 10^21, years 1 and 9999, NaN, deep nesting.
"""
from __future__ import annotations

import re
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sequencer.platform import clock

NASTY_TEXT = ["", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "%", "_", "'; drop table users; --", "é" * 300,
              "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31", "0001-01-01", "2026-02-30",
              "1970-01-01T00:00:00+14:00", "me", "all", "today", "-1", "2147483648", "1e999", "NaN", "true",
              "{{ 7*7 }}", "<script>alert(1)</script>", "Europe/Vilnius", "LT", "cfo", "auto_email", "done", "x" * 5000]
NASTY_INT = [0, -1, 1, 2, 3, 2**31 - 1, 2**31, 2**63, 10**21, -(2**63) - 1]
scalars = st.one_of(
    st.sampled_from(NASTY_TEXT), st.sampled_from(NASTY_INT), st.text(max_size=20), st.integers(),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(),
    st.datetimes().map(lambda d: d.isoformat()), st.dates().map(lambda d: d.isoformat()),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)
query_values = st.one_of(st.sampled_from(NASTY_TEXT), st.sampled_from([str(i) for i in NASTY_INT]),
                         st.text(max_size=12)).filter(lambda v: not re.search("[\ud800-\udfff]", v))  # no URL holds one


def _operations(client) -> list[tuple[str, str, list[str], list[str]]]:
    """(method, path template, query parameter names, body field names) for every documented operation."""
    doc = client.get("/api/v1/openapi.json").get_json()
    names = {name for schema in doc["components"]["schemas"].values() for name in schema.get("properties", {})}
    out = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            query = [p["name"] for p in op.get("parameters", []) + item.get("parameters", []) if p.get("in") == "query"]
            out.append((method, path, query, sorted(names)))
    return out


def _routes(app) -> set[tuple[str, str]]:
    """Every API rule of the url_map, as (method, OpenAPI-style path)."""
    out = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            out |= {(m.lower(), path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return out


def _world(factory, session, users):
    """Rows for the path ids to hit: each kind has an id 1-3 that exists for somebody."""
    rep = users["rep"]
    mailbox = factory.mailbox(owner_id=rep.id)
    persona = factory.persona("cfo")
    prospect = factory.prospect(owner_id=rep.id, persona_id=persona.id)
    enrollment = factory.enrollment(prospect=prospect, mailbox_id=mailbox.id)
    factory.step_run(enrollment)
    factory.task("call", owner_id=rep.id, prospect_id=prospect.id)
    factory.task("manual_email", owner_id=rep.id, prospect_id=prospect.id, enrollment_id=enrollment.id)
    factory.opportunity(owner=rep)
    factory.time_off(rep, clock.now().date() + timedelta(days=3))
    factory.inbound_message()
    session.commit()


def test_every_endpoint_is_fuzzed(app, client):
    documented = {(m, p) for m, p, _, _ in _operations(client)}
    assert _routes(app) <= documented | {("get", "/api/v1/openapi.json")}


def test_random_input_never_gets_a_5xx(app, client, factory, session):
    users = {role: factory.user(role) for role in ("admin", "manager", "rep")}
    headers = {role: {"Authorization": f"Bearer {factory.token(u)}"} for role, u in users.items()}
    _world(factory, session, users)
    operations = _operations(client)
    ids = st.one_of(st.integers(1, 4), st.sampled_from(NASTY_INT[:-1]).filter(lambda i: i >= 0))

    failures = []
    for method, path, query_names, body_names in operations:
        @settings(max_examples=8, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(role=st.sampled_from(sorted(headers)), data=st.data())
        def probe(role, data):
            url = re.sub(r"\{[a-z_]+\}", lambda _: str(data.draw(ids)), path)
            names = st.sampled_from([*query_names, "page", "per_page", "q", "status", "owner", "as_of"])
            query = data.draw(st.dictionaries(names, query_values, max_size=4))
            kwargs: dict = {"headers": headers[role], "query_string": query}
            if method != "get":
                kwargs["json"] = data.draw(st.one_of(
                    st.dictionaries(st.sampled_from(body_names), values, max_size=6), values))
            response = client.open(url, method=method.upper(), **kwargs)
            assert response.status_code < 500, (method, url, query, kwargs.get("json"), response.get_data()[:300])

        try:
            probe()
        except Exception as exc:  # every endpoint's first failure, not only the first endpoint's
            failures.append(f"{method.upper()} {path}: {str(exc).splitlines()[0][:600]}")
    assert not failures, "\n".join(failures)

