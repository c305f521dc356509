"""The safety net: every /api/v1 response a test gets must be what the OpenAPI document declares for it.

The conftest's `app` fixture makes `CheckingClient` the test client, so any test calling the API checks
path, method, status, declared headers and (for JSON) the body against GET /api/v1/openapi.json's schemas;
an undocumented path or status, or a body the schema refuses, fails the test there and then.
"""
from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
from werkzeug.exceptions import HTTPException

from sequencer.api.openapi import build_spec

PREFIX = "/api/v1/"
NOT_CHECKED = {"/api/v1/openapi.json"}  # the document itself (its own validity is tests/api/test_openapi.py's)
_NULL_OBJECT = {"type": "object", "nullable": True}

_checker: OpenApiChecker | None = None


def _tighten(node: Any) -> Any:
    """apispec writes a nullable `$ref` as anyOf [any nullable object, $ref]; check it as null or the $ref."""
    if isinstance(node, list):
        return [_tighten(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _tighten(v) for k, v in node.items()}
    if isinstance(out.get("anyOf"), list) and _NULL_OBJECT in out["anyOf"] and len(out["anyOf"]) > 1:
        out["anyOf"] = [{"enum": [None]} if s == _NULL_OBJECT else s for s in out["anyOf"]]
    return out


class OpenApiChecker:
    """Matches a request to the document's path templates and checks the response against that operation."""

    def __init__(self, spec: dict):
        self.components = _tighten(spec.get("components", {}))
        self.paths = []
        for template, operations in spec["paths"].items():
            pattern = re.sub(r"\\{(\w+)\\}", r"[0-9]+", re.escape(template))
            self.paths.append((template.count("{"), re.compile(f"^{pattern}$"), template, operations))
        self.paths.sort(key=lambda p: p[0])  # literal segments win over ids: /tasks/team before /tasks/{id}

    def operation(self, method: str, path: str) -> tuple[str, dict] | None:
        for _, pattern, template, operations in self.paths:
            if pattern.match(path) and method.lower() in operations:
                return template, operations[method.lower()]
        return None

    def check(self, method: str, path: str, status: int, headers: Any, mimetype: str, body: bytes) -> None:
        found = self.operation(method, path)
        if found is None:
            # no such endpoint: only the router's 404/405 in the error shape may come back
            assert status in (404, 405), f"{method} {path} → {status} is not in the OpenAPI document"
            self.validate(f"{method} {path} → {status}", {"$ref": "#/components/schemas/Error"}, json.loads(body))
            return
        template, operation = found
        where = f"{method} {template} → {status}"
        responses = operation.get("responses", {})
        declared = responses.get(str(status)) or responses.get(f"{status // 100}XX") or responses.get("default")
        if declared is None:
            raise AssertionError(f"{where}: status {status} is not documented (documented: {sorted(responses)})")
        for name in declared.get("headers", {}):
            assert name in headers, f"{where}: the documented header {name} is missing"
        content = declared.get("content") or {}
        if not body and not content:
            return
        if mimetype not in content:
            raise AssertionError(f"{where}: answered {mimetype or 'no content type'}, documented {sorted(content)}")
        if mimetype == "application/json":
            self.validate(where, content[mimetype].get("schema", {}), json.loads(body))

    def validate(self, where: str, schema: dict, instance: Any) -> None:
        root = {"allOf": [_tighten(schema)], "components": self.components}
        validator = OAS30ReadValidator(root, format_checker=oas30_format_checker)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        if errors:
            lines = [f"  at {'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}" for e in errors[:10]]
            raise AssertionError(f"{where}: the response does not match the OpenAPI document\n" + "\n".join(lines))


def checker(app: Flask) -> OpenApiChecker:
    """Built once per run: the document depends on the code only, not on the test's data."""
    global _checker
    if _checker is None:
        with app.app_context():
            _checker = OpenApiChecker(build_spec())
    return _checker


def _outside_the_api(app: Flask, method: str, path: str) -> bool:
    """A route some test added to the app itself (not the API blueprint) is not the document's business."""
    try:
        endpoint, _ = app.url_map.bind("localhost").match(path, method)
    except HTTPException:
        return False  # no route at all: the router's 404/405 is checked
    return not endpoint.startswith("api.")


def check_response(app: Flask, response: Any) -> None:
    request = response.request
    if not request.path.startswith(PREFIX) or request.path in NOT_CHECKED:
        return
    if _outside_the_api(app, request.method, request.path):
        return
    checker(app).check(request.method, request.path, response.status_code, response.headers,
                       response.mimetype or "", response.get_data())


class CheckingClient(FlaskClient):
    """A Flask test client that checks each /api/v1 response against the OpenAPI document."""

    def open(self, *args: Any, **kwargs: Any):
        response = super().open(*args, **kwargs)
        check_response(self.application, response)
        return response
