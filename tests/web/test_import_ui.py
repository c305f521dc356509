"""The import flow in the UI: upload, fix the mapping, see bad rows, download them, enrol the good ones."""
from __future__ import annotations

import io

from rq import SimpleWorker
from sqlalchemy import func, select

from sequencer.models import Enrollment, ImportMapping, Prospect, SequenceStatus
from sequencer.people.csv_import import service
from tests.people.csv_import.helpers import csv_bytes
from workers import queues
from workers.context import bind_app

ROWS = [["First Name", "Last Name", "Email Address", "Job Title", "Company", "Geography"],
        ["Šarūnas", "Jonaitis", "sarunas@ąžuolas.lt", "CFO", "Ąžuolas", "Vilnius, Lithuania"],
        ["Anna", "Schmidt", "anna.schmidt@firma.de", "Head of Sales", "Firma", "Berlin, Germany"],
        ["No", "Email", "", "CEO", "Nowhere", "Riga, Latvia"]]


def _upload(client, data: bytes):
    res = client.post("/prospects/import", data={"file": (io.BytesIO(data), "navigator.csv")},
                      content_type="multipart/form-data")
    assert res.status_code == 302, res.get_data(as_text=True)
    return res.headers["Location"]


def test_upload_map_import_and_enrol(client, as_role, factory, session):
    manager = as_role("manager")
    seq = factory.sequence(name="Baltic CFOs", status=SequenceStatus.ACTIVE)
    factory.mailbox(owner_id=manager.id)
    session.commit()
    assert 'href="/prospects/import"' in client.get("/prospects").get_data(as_text=True)

    mapping_url = _upload(client, csv_bytes(ROWS, ";", "cp1257"))
    page = client.get(mapping_url).get_data(as_text=True)
    assert "cp1257" in page and "Šarūnas" in page
    assert '<option value="location" selected>' in page and '<option value="email" selected>' in page

    res = client.post(mapping_url, data={"col-0": "first_name", "col-1": "last_name", "col-2": "", "col-3": "title",
                                         "col-4": "company", "col-5": "location", "on_duplicate": "update_empty"})
    assert res.status_code == 422 and "map one column to Email" in res.get_data(as_text=True)
    res = client.post(mapping_url, data={"col-0": "first_name", "col-1": "last_name", "col-2": "email",
                                         "col-3": "title", "col-4": "company", "col-5": "location",
                                         "on_duplicate": "update_empty"})
    assert res.status_code == 302
    result = client.get(res.headers["Location"]).get_data(as_text=True)
    assert "Rows with problems" in result and "email is missing" in result
    assert session.scalar(select(func.count(Prospect.id))) == 2
    sarunas = session.scalars(select(Prospect).where(Prospect.first_name == "Šarūnas")).one()
    assert (sarunas.city, sarunas.country, sarunas.timezone) == ("Vilnius", "LT", "Europe/Vilnius")
    assert session.scalar(select(func.count(ImportMapping.id))) == 1  # remembered for this header

    import_id = res.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    csv_text = client.get(f"/imports/{import_id}/problems.csv").get_data(as_text=True)
    assert csv_text.splitlines()[1].startswith("No,Email,,CEO,Nowhere,")

    res = client.post(f"/imports/{import_id}/enroll", data={"sequence_id": seq.id})
    assert res.status_code == 302
    assert "Enrolled 2 prospects in Baltic CFOs" in client.get(res.headers["Location"]).get_data(as_text=True)
    assert session.scalar(select(func.count(Enrollment.id))) == 2

    again = client.get(_upload(client, csv_bytes(ROWS, ";", "cp1257"))).get_data(as_text=True)
    assert '<option value="email" selected>' in again  # the confirmed mapping comes back


def test_large_import_shows_a_progress_bar_until_the_worker_finishes(client, as_role, app, redis_conn, monkeypatch,
                                                                     session):
    as_role("manager")
    monkeypatch.setattr(service, "INLINE_BYTES", 10)
    mapping_url = _upload(client, csv_bytes(ROWS))
    res = client.post(mapping_url, data={"col-2": "email", "col-0": "first_name"})
    detail = res.headers["Location"]
    page = client.get(detail).get_data(as_text=True)
    assert 'role="progressbar"' in page and 'hx-trigger="every 1s"' in page and "waiting for a worker" in page
    bind_app(app)
    SimpleWorker([queues.queue(queues.DEFAULT, redis_conn)], connection=redis_conn).work(burst=True)
    session.expire_all()
    poll = client.get(detail + "/progress", headers={"HX-Request": "true"})
    assert poll.headers["HX-Redirect"] == detail
    assert "New prospects" in client.get(detail).get_data(as_text=True)


def test_reps_cannot_see_each_others_imports(client, as_role, factory, session):
    as_role("rep")
    mapping_url = _upload(client, csv_bytes(ROWS))
    client.post("/logout")
    as_role("rep")
    assert client.get(mapping_url).status_code == 404


def test_unreadable_upload_is_a_clear_error(client, as_role):
    as_role("rep")
    res = client.post("/prospects/import", data={"file": (io.BytesIO(b""), "empty.csv")},
                      content_type="multipart/form-data")
    assert res.status_code == 422 and "empty" in res.get_data(as_text=True)


def test_problems_download_keeps_a_multi_line_cell_of_a_failed_row(client, as_role):
    as_role("manager")
    rows = [["Email", "First Name", "Notes"], ["not-an-email", "Bad", "line one\nline two"], ["ok@acme.com", "Ok", "x"]]
    mapping_url = _upload(client, csv_bytes(rows))
    res = client.post(mapping_url, data={"col-0": "email", "col-1": "first_name", "col-2": "custom:notes"})
    import_id = res.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    download = client.get(f"/imports/{import_id}/problems.csv")
    assert download.status_code == 200
    assert '"line one\nline two"' in download.get_data(as_text=True)
