"""Random JSON bodies and query values at every /api/v1 endpoint, as an admin, a manager and a rep: never a 5xx.

The endpoints come from the app's url_map and their fields from the OpenAPI document, so a new endpoint is
fuzzed without touching this file. Values lean on what broke before: NUL, lone surrogates, ids past 2^31,
page 10^21, years 1 and 9999, NaN, deep nesting.
"""
from __future__ import annotations

import re
from datetime import timedelta

from hypothesis import HealthCheck, given, settings, strategies as st

from sequencer.platform import clock

NASTY_TEXT = ["", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "%", "_", "'; drop table users; --", "é" * 300,
              "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31", "0001-01-01", "2026-02-30",
              "1970-01-01T00:00:00+14:00", "me", "all", "today", "-1", "2147483648", "1e999", "NaN", "true",
              "{{ 7*7 }}", "<script>alert(1)</script>", "Europe/Vilnius", "LT", "cfo", "auto_email", "done", "x" * 5000]
MOMENTS = ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00",
           "1969-12-31T23:00:00Z", "2101-01-01T00:00:00Z", "2026-12-07T10:00:00Z", "2026-12-07T10:00:00",
           "2026-12-09T12:30:00+02:00"]
EXAMPLES = 25
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


def _resolve(doc: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _field(doc: dict, schema: dict):
    """Values for one documented field: of its own type most of the time (to get past validation), else anything."""
    schema = _resolve(doc, schema)
    kind, fmt = schema.get("type"), schema.get("format")
    if fmt == "date-time":
        own = st.sampled_from(MOMENTS)
    elif fmt == "date":
        own = st.sampled_from([m[:10] for m in MOMENTS])
    elif "enum" in schema:
        own = st.sampled_from(schema["enum"])
    elif kind == "integer":
        own = st.one_of(st.integers(1, 4), st.sampled_from(NASTY_INT))
    elif kind == "array":
        own = st.lists(_field(doc, schema.get("items", {})), max_size=3)
    elif kind == "object" and "properties" in schema:
        own = _body(doc, schema)
    else:
        own = st.sampled_from(NASTY_TEXT)
    return st.one_of(own, own, values)


def _body(doc: dict, schema: dict):
    props = _resolve(doc, schema).get("properties", {})
    if not props:
        return values
    return st.fixed_dictionaries({}, optional={name: _field(doc, sub) for name, sub in props.items()})


def _operations(client) -> list[tuple[str, str, list[str], object]]:
    """(method, path template, query parameter names, body strategy) for every documented operation."""
    doc = client.get("/api/v1/openapi.json").get_json()
    out = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            query = [p["name"] for p in op.get("parameters", []) + item.get("parameters", []) if p.get("in") == "query"]
            content = op.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            out.append((method, path, query, st.one_of(_body(doc, schema), values)))
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
    failures = []
    for method, path, query_names, body in _operations(client):
        try:
            _probe(client, headers, method, path, query_names, body)()
        except Exception as exc:  # every endpoint's first failure, not only the first endpoint's
            failures.append(f"{method.upper()} {path}: {str(exc).splitlines()[0][:600]}")
    assert not failures, "\n".join(failures)


def _probe(client, headers: dict, method: str, path: str, query_names: list[str], body):
    ids = st.one_of(st.integers(1, 4), st.sampled_from([i for i in NASTY_INT if i >= 0]))
    names = st.sampled_from([*query_names, "page", "per_page", "q", "status", "owner", "as_of"])

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(role=st.sampled_from(sorted(headers)), data=st.data())
    def probe(role, data):
        url = re.sub(r"\{[a-z_]+\}", lambda _: str(data.draw(ids)), path)
        query = data.draw(st.dictionaries(names, st.one_of(query_values, st.sampled_from(MOMENTS)), max_size=4))
        kwargs: dict = {"headers": headers[role], "query_string": query}
        if method != "get":
            kwargs["json"] = data.draw(body)
        response = client.open(url, method=method.upper(), **kwargs)
        assert response.status_code < 500, (method, url, query, kwargs.get("json"), response.get_data()[:300])

    return probe
