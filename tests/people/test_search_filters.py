"""Searches take `%` and `_` literally; an unknown status or owner filter is refused, naming the parameter."""
from __future__ import annotations

from tests.conftest import login


def test_percent_and_underscore_are_not_wildcards(api, factory, session):
    caller = api("manager")
    factory.prospect(email="plain@acme.com", first_name="Ann", last_name="Lee")
    factory.prospect(email="odd_one@acme.com", first_name="100%", last_name="Sure")
    session.commit()
    for q, expected in (("%", ["odd_one@acme.com"]), ("_", ["odd_one@acme.com"]), ("a%e", [])):
        found = [p["email"] for p in caller.get("/api/v1/prospects", query_string={"q": q}).get_json()]
        assert found == expected, q
    factory.opportunity(name="Plain deal")
    session.commit()
    assert caller.get("/api/v1/opportunities?q=%25").get_json() == []


def test_unknown_status_or_owner_is_a_422_naming_it(api, client, factory):
    caller = api("manager")
    for url, field in (("/api/v1/prospects?status=actve", "status"), ("/api/v1/prospects?owner=bob", "owner"),
                       ("/api/v1/opportunities?status=won", "status"), ("/api/v1/opportunities?owner=x", "owner"),
                       ("/api/v1/opportunities?stale=maybe", "stale")):
        response = caller.get(url)
        assert response.status_code == 422, url
        assert response.get_json()["error"]["details"][0]["field"] == field
    assert caller.get("/api/v1/prospects?status=active&owner=me").status_code == 200
    login(client, caller.user.email)
    page = client.get("/prospects?status=actve")
    assert page.status_code == 422
    assert "status: must be one of active" in page.get_data(as_text=True)


def test_score_filters_past_an_integer_or_unknown_are_a_422_not_a_database_error(api, factory, session):
    caller = api("manager")
    factory.prospect(email="hot@acme.com", score_engagement=60)
    session.commit()
    for query, field in (("min_score=99999999999999999999", "min_score"), ("min_score=2147483648", "min_score"),
                         ("min_score=²", "min_score"), ("min_score=ten", "min_score"),
                         ("sales_ready=maybe", "sales_ready"), ("sort=-age", "sort")):
        response = caller.get(f"/api/v1/prospects?{query}")
        assert response.status_code == 422, query
        assert response.get_json()["error"]["details"][0]["field"] == field
    found = caller.get("/api/v1/prospects?min_score=-2147483647&sales_ready=false&sort=-score").get_json()
    assert [p["email"] for p in found] == ["hot@acme.com"]
    assert caller.get("/api/v1/prospects?min_score=61").get_json() == []
