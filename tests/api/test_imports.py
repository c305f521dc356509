"""POST /api/v1/prospects/import and GET /api/v1/imports/{id}: inline, queued on a real worker, errors."""
import io
import json

from rq import SimpleWorker

from sequencer.people.csv_import import service
from tests.people.csv_import.helpers import csv_bytes
from workers import queues
from workers.context import bind_app

ROWS = [["E-mail", "Vardas", "Pavardė", "Šalis"], ["ruta@uab.lt", "Rūta", "Petraitė", "Lietuva"],
        ["nope", "Bad", "Row", "LT"]]


def _post(caller, data: bytes, **form):
    return caller.post("/api/v1/prospects/import", data={"file": (io.BytesIO(data), "list.csv"), **form},
                       content_type="multipart/form-data")


def test_small_upload_imports_within_the_call_and_reports_bad_rows(api):
    manager = api("manager")
    res = _post(manager, csv_bytes(ROWS, ";", "cp1257"))
    assert res.status_code == 202, res.json
    body = res.json
    assert body["status"] == "done" and body["encoding"] == "cp1257" and body["delimiter"] == ";"
    assert body["mapping"] == {"0": "email", "1": "first_name", "2": "last_name", "3": "country"}
    assert (body["created"], body["failed"]) == (1, 1)
    assert body["issues"] == [{"line": 3, "kind": "error", "column": "E-mail",
                               "reason": body["issues"][0]["reason"]}]
    again = manager.get(res.headers["Location"])
    assert again.status_code == 200 and again.json["created"] == 1
    report = manager.get(body["error_report_url"].replace("http://localhost", ""))
    assert report.status_code == 200 and report.mimetype == "text/csv"
    assert report.data.decode().splitlines()[1].startswith("nope;Bad;Row;LT,3,error,E-mail,") is False
    assert report.data.decode().splitlines()[1].startswith("nope,Bad,Row,LT,3,error,E-mail,")


def test_mapping_by_header_name_and_clear_errors(api):
    manager = api("manager")
    res = _post(manager, csv_bytes(ROWS, ";"), mapping=json.dumps({"E-mail": "", "Vardas": "first_name"}))
    assert res.status_code == 422
    assert res.json["error"]["details"] == [{"field": "mapping", "message": "map one column to Email"}]
    res = _post(manager, csv_bytes(ROWS, ";"), mapping=json.dumps({"Nope": "email"}))
    assert res.status_code == 422 and res.json["error"]["details"][0]["field"] == "mapping.Nope"
    res = _post(manager, csv_bytes(ROWS, ";"), on_duplicate="merge")
    assert res.status_code == 422 and res.json["error"]["details"][0]["field"] == "on_duplicate"
    res = manager.post("/api/v1/prospects/import", data={}, content_type="multipart/form-data")
    assert res.status_code == 422 and res.json["error"]["details"][0]["field"] == "file"
    res = _post(manager, b"\x00\x01\x02")
    assert res.status_code == 422 and res.json["error"]["details"][0]["field"] == "file"


def test_reps_import_for_themselves_and_see_only_their_imports(api):
    rep, other = api("rep"), api("rep")
    res = _post(rep, csv_bytes(ROWS, ";"), owner_ids=str(other.user.id))
    assert res.status_code == 403
    res = _post(rep, csv_bytes(ROWS, ";"))
    assert res.status_code == 202
    assert other.get(res.headers["Location"]).status_code == 404
    assert api("manager").get(res.headers["Location"]).status_code == 200


def test_large_upload_runs_on_a_worker(api, app, redis_conn, monkeypatch):
    monkeypatch.setattr(service, "INLINE_BYTES", 10)
    manager = api("manager")
    res = _post(manager, csv_bytes(ROWS, ";"))
    assert res.status_code == 202 and res.json["status"] == "queued"
    bind_app(app)
    SimpleWorker([queues.queue(queues.DEFAULT, redis_conn)], connection=redis_conn).work(burst=True)
    done = manager.get(res.headers["Location"]).json
    assert done["status"] == "done" and done["percent"] == 100 and done["created"] == 1


def test_the_error_report_downloads_when_a_failed_row_has_a_multi_line_cell(api, client):
    manager = api("manager")
    rows = [["Email", "First Name", "Notes"], ["not-an-email", "Bad", "line one\nline two"], ["ok@acme.com", "Ok", "x"]]
    res = _post(manager, csv_bytes(rows), mapping=json.dumps({"Email": "email", "First Name": "first_name", "Notes": "custom:notes"}))
    assert res.status_code == 202, res.json
    report = manager.get(res.json["error_report_url"].replace("http://localhost", ""))
    assert report.status_code == 200
    assert "line one\nline two" in report.data.decode()
