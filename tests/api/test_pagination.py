"""Every list of the API pages the same way: page/per_page in, X-Total-Count and an RFC 8288 Link out, cut in SQL."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import event

from sequencer.extensions import db
from sequencer.platform import clock

ITEMS = 5  # rows each seed adds: with per_page=2 that is three pages


def _users(api, factory):
    for _ in range(ITEMS):
        factory.user("rep")
    return api("manager"), "/api/v1/users"


def _mailboxes(api, factory):
    for _ in range(ITEMS):
        factory.mailbox()
    return api("rep"), "/api/v1/mailboxes"


def _personas(api, factory):
    for n in range(ITEMS):
        factory.persona(key=f"persona_{n}")
    return api("rep"), "/api/v1/personas"


def _prospects(api, factory):
    for _ in range(ITEMS):
        factory.prospect()
    return api("rep"), "/api/v1/prospects"


def _sequences(api, factory):
    for _ in range(ITEMS):
        factory.sequence(steps=1)
    return api("rep"), "/api/v1/sequences"


def _tasks(api, factory):
    caller = api("rep")
    for n in range(ITEMS):
        factory.task("todo", owner_id=caller.user.id, title=f"To do {n}", due_at=clock.now() + timedelta(hours=n))
    return caller, "/api/v1/tasks"


def _team(api, factory):
    for _ in range(ITEMS):
        factory.user("rep")
    return api("manager"), "/api/v1/tasks/team"


def _time_off(api, factory):
    caller = api("rep")
    today = clock.now().date()
    for n in range(ITEMS):
        start = today + timedelta(days=10 * n + 1)
        factory.time_off(caller.user, start, days=3)
    return caller, "/api/v1/time-off"


def _opportunities(api, factory):
    for _ in range(ITEMS):
        factory.opportunity()
    return api("manager"), "/api/v1/opportunities"


def _inbound(api, factory):
    for n in range(ITEMS):
        factory.inbound_message(message_id=f"<m{n}@b.example>")
    return api("admin"), "/api/v1/inbound"


LISTS: dict[str, Callable] = {
    "users": _users, "mailboxes": _mailboxes, "personas": _personas, "prospects": _prospects,
    "sequences": _sequences, "tasks": _tasks, "tasks/team": _team, "time-off": _time_off,
    "opportunities": _opportunities, "inbound": _inbound,
}


def links(response) -> dict[str, dict]:
    """rel -> the query of its URL, from an RFC 8288 Link header."""
    out = {}
    for part in response.headers["Link"].split(", "):
        match = re.fullmatch(r'<([^>]+)>; rel="(first|prev|next|last)"', part)
        assert match, f"not an RFC 8288 link: {part!r}"
        url, rel = match.groups()
        assert url.startswith("http://localhost/api/v1/"), url
        out[rel] = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    return out


@pytest.fixture
def statements(app):
    """The SQL the app runs while the test holds this list."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement.lower())

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture(params=sorted(LISTS))
def listed(request, api, factory, session):
    caller, url = LISTS[request.param](api, factory)
    session.commit()
    return caller, url


def _ids(response) -> list:
    return [row.get("id", row.get("user_id")) for row in response.json]


def test_pages_walk_the_whole_list_once_with_total_and_links(listed, statements):
    caller, url = listed
    first = caller.get(f"{url}?per_page=2")
    assert first.status_code == 200 and len(first.json) == 2
    total = int(first.headers["X-Total-Count"])
    assert total >= ITEMS
    last = (total + 1) // 2
    rels = links(first)
    assert set(rels) == {"first", "next", "last"}
    assert rels["first"]["page"] == "1" and rels["next"]["page"] == "2" and rels["last"]["page"] == str(last)
    assert all(r["per_page"] == "2" for r in rels.values())

    second = caller.get(f"{url}?per_page=2&page=2")
    assert set(_ids(second)).isdisjoint(_ids(first))
    assert set(links(second)) == {"first", "prev", "next", "last"} and links(second)["prev"]["page"] == "1"

    seen = []
    for page in range(1, last + 1):
        res = caller.get(f"{url}?per_page=2&page={page}")
        assert res.headers["X-Total-Count"] == str(total)
        seen += _ids(res)
    assert len(seen) == len(set(seen)) == total
    final = caller.get(f"{url}?per_page=2&page={last}")
    assert "next" not in links(final) and links(final)["prev"]["page"] == str(last - 1)
    assert any("count(" in s for s in statements), "the total is counted by the database"
    assert any(re.search(r"\blimit\b", s) and re.search(r"\boffset\b", s) for s in statements), "pages cut in SQL"


def test_default_page_is_fifty_and_one_page_has_no_prev_or_next(listed):
    caller, url = listed
    res = caller.get(url)
    assert res.status_code == 200 and isinstance(res.json, list)
    assert len(res.json) == int(res.headers["X-Total-Count"]) <= 50
    rels = links(res)
    assert set(rels) == {"first", "last"} and rels["first"]["page"] == rels["last"]["page"] == "1"


@pytest.mark.parametrize(("query", "field", "message"), [
    ("per_page=0", "per_page", "must be a positive integer"),
    ("per_page=-3", "per_page", "must be a positive integer"),
    ("per_page=ten", "per_page", "must be a positive integer"),
    ("per_page=2.5", "per_page", "must be a positive integer"),
    ("per_page=501", "per_page", "must be at most 500"),
    ("per_page=99999999999999999999", "per_page", "must be at most 500"),
    ("page=0", "page", "must be a positive integer"),
    ("page=-1", "page", "must be a positive integer"),
    ("page=", "page", "must be a positive integer"),
    ("page=two", "page", "must be a positive integer"),
])
def test_out_of_range_paging_is_a_422_naming_the_field(listed, query, field, message):
    caller, url = listed
    res = caller.get(f"{url}?{query}")
    assert res.status_code == 422
    error = res.json["error"]
    assert error["code"] == "validation_error"
    assert error["details"] == [{"field": field, "message": message}]


def test_the_largest_page_is_allowed(listed):
    caller, url = listed
    res = caller.get(f"{url}?per_page=500")
    assert res.status_code == 200 and len(res.json) == int(res.headers["X-Total-Count"])


def test_a_page_past_the_end_is_empty_and_links_back(api, factory, session):
    for _ in range(3):
        factory.prospect()
    session.commit()
    res = api("rep").get("/api/v1/prospects?per_page=2&page=7")
    assert res.status_code == 200 and res.json == [] and res.headers["X-Total-Count"] == "3"
    rels = links(res)
    assert rels["prev"]["page"] == "2" and rels["last"]["page"] == "2" and "next" not in rels


def test_links_keep_the_other_query_parameters(api, factory, session):
    for n in range(5):
        factory.prospect(last_name=f"Keep{n}", country="LT")
    factory.prospect(last_name="Other", country="LV")
    session.commit()
    res = api("rep").get("/api/v1/prospects?country=LT&q=keep&per_page=2&page=2")
    assert res.headers["X-Total-Count"] == "5" and [p["last_name"] for p in res.json] == ["Keep2", "Keep3"]
    for rel, query in links(res).items():
        assert query["country"] == "LT" and query["q"] == "keep" and query["per_page"] == "2", rel
    assert 'country=LT&q=keep&per_page=2&page=3>; rel="next"' in res.headers["Link"]


def test_task_pages_follow_the_bucket_and_filters(api, factory, session):
    caller = api("rep")
    now = clock.now()
    for n in range(3):
        factory.task("call", owner_id=caller.user.id, title=f"Call {n}", due_at=now + timedelta(days=3))
    factory.task("todo", owner_id=caller.user.id, title="To do", due_at=now + timedelta(days=3))
    factory.task("call", owner_id=caller.user.id, title="Late", due_at=now - timedelta(days=3))
    session.commit()
    upcoming = caller.get("/api/v1/tasks?bucket=upcoming&type=call&per_page=2")
    assert upcoming.headers["X-Total-Count"] == "3" and links(upcoming)["next"]["type"] == "call"
    assert caller.get("/api/v1/tasks?bucket=overdue").headers["X-Total-Count"] == "1"
    assert caller.get("/api/v1/tasks").headers["X-Total-Count"] == "5"


def test_stale_filtered_deals_page_too(api, factory, session):
    for _ in range(3):
        factory.opportunity()
    session.commit()
    caller = api("manager")
    first, second = (caller.get(f"/api/v1/opportunities?stale=false&per_page=2&page={n}") for n in (1, 2))
    assert first.headers["X-Total-Count"] == second.headers["X-Total-Count"] == "3"
    assert len(first.json) == 2 and len(second.json) == 1
    assert set(_ids(first)).isdisjoint(_ids(second))
    assert links(first)["next"]["stale"] == "false"


def test_the_document_shows_the_paging_of_every_list(client):
    spec = client.get("/api/v1/openapi.json").json
    for name in LISTS:
        operation = spec["paths"][f"/api/v1/{name}"]["get"]
        params = {p["name"]: p for p in operation["parameters"]}
        assert params["per_page"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}
        assert params["page"]["schema"]["minimum"] == 1
        assert set(operation["responses"]["200"]["headers"]) == {"X-Total-Count", "Link"}
        assert "422" in operation["responses"]
