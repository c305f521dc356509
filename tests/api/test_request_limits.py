"""Request bodies are bounded (413 in the error shape; uploads have their own larger limit), and custom
fields are bounded in count, key and value length on every door."""
import io

import pytest

from sequencer.people.fields import CUSTOM_FIELDS_MAX, CUSTOM_KEY_MAX, CUSTOM_VALUE_MAX

BASE = {"email": "ruta@example.lt", "first_name": "Rūta"}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "MAX_CONTENT_LENGTH": 64 * 1024, "UPLOAD_MAX_BYTES": 256 * 1024}


def test_an_oversized_json_body_is_413_in_the_error_shape(api):
    big = {**BASE, "fields": {"notes": "x" * (70 * 1024)}}
    res = api("rep").post("/api/v1/prospects", json=big)
    assert res.status_code == 413
    assert res.json["error"]["code"] == "too_large"
    assert "64 KiB" in res.json["error"]["message"]


def test_a_csv_upload_may_be_larger_than_the_body_limit(api):
    rows = "email,first name\r\n" + "".join(f"p{n}@example.com,{'N' * 40}\r\n" for n in range(2000))
    assert 64 * 1024 < len(rows) < 256 * 1024
    res = api("manager").post("/api/v1/prospects/import", data={"file": (io.BytesIO(rows.encode()),
                                                                          "big.csv")},
                              content_type="multipart/form-data")
    assert res.status_code == 202, res.json


def test_a_csv_upload_over_the_upload_limit_is_413(api):
    rows = "email\r\n" + "".join(f"p{n}@example.com\r\n" for n in range(20000))
    assert len(rows) > 256 * 1024
    res = api("manager").post("/api/v1/prospects/import", data={"file": (io.BytesIO(rows.encode()),
                                                                          "huge.csv")},
                              content_type="multipart/form-data")
    assert res.status_code == 413 and res.json["error"]["code"] == "too_large"


@pytest.mark.parametrize("fields, problem", [
    ({f"k{n}": n for n in range(CUSTOM_FIELDS_MAX + 1)}, f"at most {CUSTOM_FIELDS_MAX} custom fields"),
    ({"k" * (CUSTOM_KEY_MAX + 1): "v"}, f"at most {CUSTOM_KEY_MAX} characters"),
    ({"": "v"}, "empty"),
    ({"notes": "x" * (CUSTOM_VALUE_MAX + 1)}, f"at most {CUSTOM_VALUE_MAX:,} characters"),
    ({"nested": {"deep": ["x" * CUSTOM_VALUE_MAX]}}, f"at most {CUSTOM_VALUE_MAX:,} characters"),
])
def test_custom_fields_are_bounded_on_the_api(api, fields, problem):
    me = api("rep")
    res = me.post("/api/v1/prospects", json={**BASE, "fields": fields})
    assert res.status_code == 422, res.json
    detail = res.json["error"]["details"][0]
    assert detail["field"] == "fields" and problem in detail["message"]


def test_custom_fields_at_the_bounds_are_accepted(api):
    fields = {f"{n:03d}" + "k" * (CUSTOM_KEY_MAX - 3): n for n in range(CUSTOM_FIELDS_MAX)}
    fields[next(iter(fields))] = "x" * CUSTOM_VALUE_MAX
    res = api("rep").post("/api/v1/prospects", json={**BASE, "fields": fields})
    assert res.status_code == 201, res.json


def test_custom_fields_are_bounded_on_the_patch_too(api, client):
    me = api("rep")
    created = me.post("/api/v1/prospects", json=BASE).json
    res = client.patch(f"/api/v1/prospects/{created['id']}", headers=me.headers,
                       json={"fields": {f"k{n}": n for n in range(CUSTOM_FIELDS_MAX + 1)}})
    assert res.status_code == 422 and res.json["error"]["details"][0]["field"] == "fields"


def test_custom_fields_are_bounded_in_the_csv_import(session, factory, tmp_path):
    from sequencer.people.csv_import.service import issues_page
    from tests.people.csv_import.helpers import by_email, csv_bytes, import_all

    rows = [["Email", "Notes"], ["ok@acme.com", "short"], ["long@acme.com", "x" * (CUSTOM_VALUE_MAX + 1)]]
    imp = import_all(session, factory.user("manager"), csv_bytes(rows), tmp_path,
                     mapping={"0": "email", "1": "custom:Notes"})
    assert (imp.created_count, imp.failed_count) == (1, 1)
    assert by_email(session)["ok@acme.com"].fields == {"notes": "short"}
    issue = issues_page(session, imp)[0]
    assert issue.line == 3 and issue.column == "Notes" and f"{CUSTOM_VALUE_MAX:,}" in issue.reason
