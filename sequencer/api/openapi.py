"""GET /api/v1/openapi.json, generated from the handlers' docstrings and the marshmallow schemas."""
from __future__ import annotations

import re
from copy import deepcopy
from http import HTTPStatus
from typing import Any

from apispec import APISpec, BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import current_app, jsonify
from marshmallow import Schema

from sequencer.api import (
    api_bp,
    deliverability_schemas,
    form_schemas,
    goal_schemas,
    import_schemas,
    one_off_schemas,
    opportunity_schemas,
    prospect_schemas,
    report_schemas,
    schemas,
    scoring_schemas,
    sequence_schemas,
    task_schemas,
    token_schemas,
    webhook_schemas,
)
from sequencer.api.pagination import DEFAULT_PER_PAGE, MAX_PER_PAGE, PAGED_ATTR
from sequencer.platform.bounds import MAX_ID

ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "default": 1},
     "description": "the page, from 1; 0, negative or not an integer is a 422 naming `page`"},
    {"name": "per_page", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
     "description": f"items per page; over {MAX_PER_PAGE} is a 422 naming `per_page` (never silently clamped)"},
]
PAGE_HEADERS = {
    "X-Total-Count": {"description": "items matching the filters, over all pages", "schema": {"type": "integer"}},
    "Link": {"description": "RFC 8288: `first` and `last`, `prev` unless on the first page, `next` when there is "
                            "one; absolute URLs that keep the other query parameters", "schema": {"type": "string"}},
}
DESCRIPTION = ("Self-hosted sales engagement: sequences, enrolments, tasks, reports.\n\n"
               f"Lists take `page` (from 1) and `per_page` (default {DEFAULT_PER_PAGE}, at most {MAX_PER_PAGE}; "
               "out of range is a 422 `validation_error` naming the parameter) and answer with `X-Total-Count` "
               "and a `Link` header.")


def _has(responses: dict, status: int) -> bool:
    return status in responses or str(status) in responses


class ConventionsPlugin(BasePlugin):
    """What every handler would repeat: 401 without a token, 403 for a role, 422 for a bad body, list paging."""

    def operation_helper(self, path: str | None = None, operations: dict | None = None, **kwargs: Any) -> None:
        view = kwargs.get("view")
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            if not _has(responses, 401):
                responses[401] = deepcopy(ERROR)
            if getattr(view, "api_roles", None) and not _has(responses, 403):
                responses[403] = deepcopy(ERROR)
            if not _has(responses, 422):  # a body or query value the edge refuses (sequencer.web.edge)
                responses[422] = deepcopy(ERROR)
            if path and "{" in path and not _has(responses, 404):
                responses[404] = deepcopy(ERROR)  # an id nobody has, or past 2^31-1
            if operation.get("requestBody") and not _has(responses, 413):
                responses[413] = {**deepcopy(ERROR), "description": "the body is over the size limit (`too_large`)"}
            if method == "get" and getattr(view, PAGED_ATTR, False):
                operation.setdefault("parameters", []).extend(deepcopy(PAGE_PARAMETERS))
                ok = responses[200] if 200 in responses else responses["200"]
                ok.setdefault("headers", {}).update(deepcopy(PAGE_HEADERS))


def build_spec() -> dict:
    spec = APISpec(
        title="Sequencer API", version="1.0.0", openapi_version="3.0.3",
        plugins=[FlaskPlugin(), ConventionsPlugin(), MarshmallowPlugin()],
        info={"description": DESCRIPTION},
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for module in (schemas, sequence_schemas, prospect_schemas, opportunity_schemas, import_schemas, report_schemas,
                   task_schemas, token_schemas, scoring_schemas, webhook_schemas, deliverability_schemas,
                   goal_schemas, form_schemas, one_off_schemas):
        for name, cls in vars(module).items():
            if isinstance(cls, type) and issubclass(cls, Schema) and cls.__module__ == module.__name__:
                spec.components.schema(name.removesuffix("Schema"), schema=cls)
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.startswith(f"{api_bp.name}.") and rule.endpoint != "api.openapi_json":
            spec.path(view=current_app.view_functions[rule.endpoint], app=current_app)
    doc = spec.to_dict()
    for path, operations in doc.get("paths", {}).items():
        path_params = [{"name": name, "in": "path", "required": True,
                        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}}
                       for name in re.findall(r"{(\w+)}", path)]  # every id in our paths is an integer
        for operation in operations.values():
            declared = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"}
            operation.setdefault("parameters", []).extend(p for p in path_params if p["name"] not in declared)
            for status, response in operation.get("responses", {}).items():
                response.setdefault("description", HTTPStatus(int(status)).phrase)
    doc["security"] = [{"bearer": []}]
    return doc


@api_bp.get("/openapi.json")
def openapi_json():
    return jsonify(build_spec())
