"""The request edge: ids past 2^31-1, NUL and lone surrogates are refused before any handler (API and pages)."""
from tests.conftest import login


def test_a_path_id_past_int32_is_a_404_not_a_500(api, client, factory):
    caller = api("admin")
    for url in ("/api/v1/enrollments/2147483648", "/api/v1/prospects/9223372036854775808",
                "/api/v1/tasks/100000000000000000000"):
        response = caller.get(url)
        assert response.status_code == 404, url
        assert response.get_json()["error"]["code"] == "not_found"
    assert caller.get("/api/v1/prospects/2147483647").status_code == 404
    login(client, caller.user.email)
    assert client.get("/prospects/2147483648").status_code == 404


def test_nul_and_lone_surrogates_in_json_are_a_422_naming_the_field(api):
    caller = api("manager")
    for name in ("a\x00b", "x\ud800"):
        response = caller.post("/api/v1/personas", json={"key": "cfo", "name": name})
        assert response.status_code == 422
        assert response.get_json()["error"]["details"][0]["field"] == "name"
    response = caller.post("/api/v1/prospects", json={"email": "a@b.example", "fields": {"k": ["ok", "\x00"]}})
    assert response.get_json()["error"]["details"][0]["field"] == "fields.k.1"


def test_integers_past_int32_in_a_body_are_a_422(api, factory):
    caller = api("manager")
    response = caller.post("/api/v1/prospects", json={"email": "a@b.example", "owner_id": 2**31})
    assert response.status_code == 422
    assert response.get_json()["error"]["details"][0]["field"] == "owner_id"


def test_nul_in_a_query_or_form_value_is_a_422(api, client):
    caller = api("rep")
    response = caller.get("/api/v1/prospects?q=%00")
    assert response.status_code == 422
    assert response.get_json()["error"]["details"][0]["field"] == "q"
    login(client, caller.user.email)
    page = client.get("/prospects?q=a%00b")
    assert page.status_code == 422
    assert b"NUL" in page.data


def test_an_id_named_query_value_past_int32_is_a_422(api):
    caller = api("manager")
    for url, field in (("/api/v1/tasks?owner=9223372036854775808", "owner"),
                       ("/api/v1/sequences/1/steps/1/preview?prospect_id=2147483648", "prospect_id"),
                       ("/api/v1/sequences/1/steps/1/preview?prospect_id=-99999999999", "prospect_id"),
                       ("/api/v1/sequences/1/steps/1/preview?prospect_id=9_999_999_999", "prospect_id"),
                       ("/api/v1/sequences/1/steps/1/preview?prospect_id=%2B4294967296", "prospect_id")):
        response = caller.get(url)
        assert response.status_code == 422, url
        assert response.get_json()["error"]["details"][0]["field"] == field
    assert caller.get("/api/v1/prospects?q=37060012345678").status_code == 200  # a long number in a search is fine


def test_a_page_number_past_a_billion_on_a_page_is_a_422(client, factory, session):
    manager = factory.user("manager")
    session.commit()
    login(client, manager.email)
    for url in ("/prospects?page=1000000000000000000000", "/outbox?page=99999999999", "/inbound?page=10000000000"):
        response = client.get(url)
        assert response.status_code == 422, url
        assert "page must be at most 1000000000" in response.get_data(as_text=True)
    assert client.get("/prospects?page=1").status_code == 200
    past = client.get("/prospects?page=2")  # a page past the last one says so (issue 23), not a 422
    assert past.status_code == 404 and "There is no page 2 of this list" in past.get_data(as_text=True)
