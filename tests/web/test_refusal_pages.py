"""A refusal no view turned into a form error still reaches the person: a status page on the UI, the contract's
error shape on the API."""
from __future__ import annotations

import pytest

from sequencer.errors import Conflict, Duplicate, Forbidden, Invalid, NotFound


@pytest.fixture
def refusing(app):
    refusals = {"not-found": NotFound("no deal 7"), "forbidden": Forbidden("reps work their own tasks"),
                "conflict": Conflict("the task is already done"), "invalid": Invalid.field("until", "pick a moment"),
                "duplicate": Duplicate("a prospect with email a@b.lt exists", existing_id=3)}

    def raise_it(kind: str):
        raise refusals[kind]

    app.add_url_rule("/_refuse/<kind>", "refuse_page", raise_it)
    app.add_url_rule("/api/v1/_refuse/<kind>", "refuse_api", raise_it)
    return app.test_client()


@pytest.mark.parametrize(("kind", "status"), [("not-found", 404), ("forbidden", 403), ("conflict", 409),
                                               ("invalid", 422), ("duplicate", 409)])
def test_the_page_says_why_with_the_status(refusing, kind, status):
    page = refusing.get(f"/_refuse/{kind}")
    assert page.status_code == status and page.mimetype == "text/html"
    assert {"not-found": "no deal 7", "forbidden": "reps work their own tasks", "conflict": "already done",
            "invalid": "until: pick a moment", "duplicate": "a@b.lt exists"}[kind] in page.get_data(as_text=True)


def test_the_api_says_it_in_the_contracts_shape(refusing):
    body = refusing.get("/api/v1/_refuse/duplicate").get_json()
    assert body["error"]["code"] == "duplicate" and body["error"]["existing_id"] == 3
    invalid = refusing.get("/api/v1/_refuse/invalid")
    assert invalid.status_code == 422 and invalid.get_json()["error"]["details"] == [
        {"field": "until", "message": "pick a moment"}]
