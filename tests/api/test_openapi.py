from openapi_spec_validator import validate


def test_openapi_document_is_valid_and_covers_every_endpoint(client, app):
    res = client.get("/api/v1/openapi.json")
    assert res.status_code == 200
    spec = res.json
    validate(spec)
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint == "api.openapi_json":
            continue
        path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, f"{method} {path} is not in the OpenAPI document"


def test_openapi_never_describes_a_readable_password(client):
    spec = client.get("/api/v1/openapi.json").json
    out = spec["components"]["schemas"]["Mailbox"]["properties"]
    assert "smtp_password" not in out
    assert "smtp_password_set" in out
