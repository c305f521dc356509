"""GET /api/v1/openapi.json, generated from the handlers' docstrings and the marshmallow schemas."""
from __future__ import annotations

import re
from http import HTTPStatus

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import current_app, jsonify
from marshmallow import Schema

from sequencer.api import (
    api_bp,
    import_schemas,
    opportunity_schemas,
    prospect_schemas,
    report_schemas,
    schemas,
    sequence_schemas,
    task_schemas,
)


def build_spec() -> dict:
    spec = APISpec(
        title="Sequencer API", version="1.0.0", openapi_version="3.0.3",
        plugins=[FlaskPlugin(), MarshmallowPlugin()],
        info={"description": "Self-hosted sales engagement: sequences, enrolments, tasks, reports."},
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for module in (schemas, sequence_schemas, prospect_schemas, opportunity_schemas, import_schemas, report_schemas,
                   task_schemas):
        for name, cls in vars(module).items():
            if isinstance(cls, type) and issubclass(cls, Schema) and cls.__module__ == module.__name__:
                spec.components.schema(name.removesuffix("Schema"), schema=cls)
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.startswith(f"{api_bp.name}.") and rule.endpoint != "api.openapi_json":
            spec.path(view=current_app.view_functions[rule.endpoint], app=current_app)
    doc = spec.to_dict()
    for path, operations in doc.get("paths", {}).items():
        path_params = [{"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}
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
