"""The response checker itself: it must refuse what the OpenAPI document does not declare."""
from __future__ import annotations

import json

import pytest

from tests.api.openapi_check import CheckingClient, OpenApiChecker, checker

ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
SPEC = {
    "paths": {
        "/api/v1/things": {"get": {"responses": {
            "200": {"headers": {"X-Total-Count": {"schema": {"type": "integer"}}},
                    "content": {"application/json": {"schema": {
                        "type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}}},
        }}},
        "/api/v1/things/{thing_id}": {
            "get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Thing"}}}}, "404": ERROR}},
            "delete": {"responses": {"204": {"description": "Deleted"}}},
        },
        "/api/v1/things/{thing_id}/report.csv": {"get": {"responses": {
            "200": {"content": {"text/csv": {"schema": {"type": "string"}}}}}}},
    },
    "components": {"schemas": {
        "Thing": {"type": "object", "additionalProperties": False, "properties": {
            "id": {"type": "integer"},
            "at": {"type": "string", "format": "date-time"},
            "secret": {"type": "string", "writeOnly": True},
            "owner": {"anyOf": [{"type": "object", "nullable": True}, {"$ref": "#/components/schemas/Owner"}]},
        }},
        "Owner": {"type": "object", "additionalProperties": False, "required": ["id"],
                  "properties": {"id": {"type": "integer"}}},
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object"}}},
    }},
}
TOTAL = {"X-Total-Count": "1"}


def check(method: str, path: str, status: int, body=None, headers=None, mimetype="application/json") -> None:
    data = b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
    OpenApiChecker(SPEC).check(method, path, status, headers or {}, mimetype, data)


def test_a_documented_response_passes():
    check("GET", "/api/v1/things", 200, [{"id": 1, "at": "2026-03-04T14:00:00Z", "owner": None}], TOTAL)
    check("GET", "/api/v1/things/7", 200, {"id": 7, "owner": {"id": 2}})
    check("GET", "/api/v1/things/7", 404, {"error": {"code": "not_found"}})
    check("DELETE", "/api/v1/things/7", 204)
    check("GET", "/api/v1/things/7/report.csv", 200, b"a,b\r\n", mimetype="text/csv")


@pytest.mark.parametrize(("method", "path", "status", "body", "headers", "complaint"), [
    ("GET", "/api/v1/things/7", 200, {"id": 7, "colour": "red"}, None, "'colour' was unexpected"),
    ("GET", "/api/v1/things/7", 200, {"id": "7"}, None, "'7' is not of type 'integer'"),
    ("GET", "/api/v1/things/7", 200, {"id": 7, "at": "yesterday"}, None, "is not a 'date-time'"),
    ("GET", "/api/v1/things/7", 200, {"id": 7, "secret": "s3cret"}, None, "secret"),
    ("GET", "/api/v1/things/7", 200, {"id": 7, "owner": {"name": "x"}}, None, "owner"),
    ("GET", "/api/v1/things/7", 409, {"error": {}}, None, "status 409 is not documented"),
    ("GET", "/api/v1/things", 200, [], None, "the documented header X-Total-Count is missing"),
    ("POST", "/api/v1/things", 201, {"id": 1}, None, "is not in the OpenAPI document"),
    ("GET", "/api/v1/elsewhere", 200, {"id": 1}, None, "is not in the OpenAPI document"),
    ("GET", "/api/v1/things/7/report.csv", 200, {"id": 1}, None, "answered application/json"),
])
def test_anything_undeclared_fails(method, path, status, body, headers, complaint):
    with pytest.raises(AssertionError, match=complaint):
        check(method, path, status, body, headers)


def test_the_routers_own_404_and_405_only_need_the_error_shape():
    check("GET", "/api/v1/elsewhere", 404, {"error": {"code": "not_found"}})
    check("PUT", "/api/v1/things", 405, {"error": {"code": "method_not_allowed"}})
    with pytest.raises(AssertionError):
        check("GET", "/api/v1/elsewhere", 404, {"detail": "no"})


def test_the_suites_client_checks_the_real_document(app, client, api):
    assert isinstance(client, CheckingClient)
    real = checker(app)
    real.check("GET", "/api/v1/users", 200, TOTAL | {"Link": "<x>; rel=\"first\""}, "application/json",
               json.dumps([{"id": 1, "email": "a@b.example", "name": "A", "role": "rep", "timezone": "UTC",
                            "active": True}]).encode())
    with pytest.raises(AssertionError, match="'boss' is not one of"):
        real.check("GET", "/api/v1/users", 200, TOTAL | {"Link": ""}, "application/json",
                   json.dumps([{"id": 1, "role": "boss"}]).encode())
    assert api("manager").get("/api/v1/users").status_code == 200  # the checker ran and agreed
