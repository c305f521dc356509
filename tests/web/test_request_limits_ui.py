"""The prospect form and the import upload under the body limit: a friendly 413 page, custom fields bounded,
and an upload (with CSRF on) allowed past the general limit up to its own."""
import io
import json

import pytest

from sequencer.people.fields import CUSTOM_VALUE_MAX
from tests.conftest import csrf_token_from


@pytest.fixture
def app_config(app_config):
    return {**app_config, "MAX_CONTENT_LENGTH": 64 * 1024, "UPLOAD_MAX_BYTES": 256 * 1024}


def test_an_oversized_form_gets_a_friendly_page(client, as_role):
    as_role("manager")
    res = client.post("/prospects/new", data={"email": "a@example.com", "fields": "x" * (70 * 1024)})
    assert res.status_code == 413
    html = res.get_data(as_text=True)
    assert res.mimetype == "text/html" and "too large" in html.lower() and "64 KiB" in html


def test_custom_fields_are_bounded_on_the_prospect_form(client, as_role, session):
    from sequencer.models import Prospect

    as_role("manager")
    res = client.post("/prospects/new", data={"email": "a@example.com", "first_name": "A", "status": "active",
                                              "fields": json.dumps({"notes": "x" * (CUSTOM_VALUE_MAX + 1)})})
    assert res.status_code == 422
    assert f"at most {CUSTOM_VALUE_MAX:,} characters" in res.get_data(as_text=True)
    assert session.query(Prospect).count() == 0


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_an_upload_past_the_general_limit_reaches_the_import(self, client, factory, session):
        user = factory.user("manager")
        session.commit()
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"email": user.email, "password": "correct horse battery", "csrf_token": token})
        token = csrf_token_from(client.get("/prospects/import").get_data(as_text=True))
        rows = "email,first name\r\n" + "".join(f"p{n}@example.com,{'N' * 40}\r\n" for n in range(2000))
        assert 64 * 1024 < len(rows) < 256 * 1024
        res = client.post("/prospects/import", data={"csrf_token": token, "file": (io.BytesIO(rows.encode()), "a.csv")},
                          content_type="multipart/form-data")
        assert res.status_code == 302 and "/mapping" in res.headers["Location"], res.status_code
