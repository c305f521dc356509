"""Files that used to break an import: NUL bytes, multi-line cells in bad rows, UTF-8 and Windows-1252
lines in one file, and an import that fails for a reason of its own (never retried without end)."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy.exc import DataError

from sequencer.models import ImportStatus, ProspectImport
from sequencer.people.csv_import import runner
from sequencer.people.csv_import.service import confirm, error_report, issues_page
from sequencer.platform import clock
from tests.people.csv_import.helpers import by_email, csv_bytes, import_all, upload


def test_nul_bytes_in_cells_are_stripped_and_the_import_finishes(session, factory, tmp_path):
    rows = [["Email", "First Name", "Title"], ["jon@acme.com", "Jo\x00n", "C\x01FO"],
            ["bad\x00", "Bad", "Row"], ["ann@acme.com", "Ann", "CEO"]]
    imp = import_all(session, factory.user("manager"), csv_bytes(rows), tmp_path)
    assert imp.status == ImportStatus.DONE, imp.error
    assert (imp.created_count, imp.failed_count) == (2, 1)
    assert (by_email(session)["jon@acme.com"].first_name, by_email(session)["jon@acme.com"].title) == ("Jon", "CFO")
    assert "\x00" not in issues_page(session, imp)[0].raw
    assert "\x00" not in error_report(session, imp)


def test_an_import_that_fails_for_its_own_reason_ends_failed_and_is_not_resumed(session, factory, tmp_path,
                                                                                 monkeypatch):
    user = factory.user("manager")
    imp = upload(session, user, csv_bytes([["Email"], ["a@acme.com"]]), tmp_path)
    confirm(session, imp, None, {}, user)
    session.commit()

    def refused(*args, **kwargs):
        raise DataError("INSERT …", {}, Exception("value too long for type character varying(300)"))

    monkeypatch.setattr(runner, "write_batch", refused)
    done = runner.run_import(session, imp.id, clock.now())
    assert done.status == ImportStatus.FAILED
    assert "value too long" in done.error and "could not be stored" in done.error
    assert runner.stalled(session, clock.now() + timedelta(days=1)) == []


def test_an_import_whose_worker_keeps_dying_gives_up_after_a_few_runs(session, factory, tmp_path, monkeypatch):
    user = factory.user("manager")
    imp = upload(session, user, csv_bytes([["Email"], ["a@acme.com"]]), tmp_path)
    confirm(session, imp, None, {}, user)
    session.commit()

    def killed(*args, **kwargs):
        raise SystemExit("the worker was killed")  # what a SIGKILL or an OOM leaves: no chance to record anything

    monkeypatch.setattr(runner, "write_batch", killed)
    for _ in range(runner.MAX_RUNS):
        with pytest.raises(SystemExit):
            runner.run_import(session, imp.id, clock.now())
        session.rollback()
    monkeypatch.undo()
    last = runner.run_import(session, imp.id, clock.now())
    assert last.status == ImportStatus.FAILED
    assert f"gave up after {runner.MAX_RUNS} attempts" in last.error
    session.expire_all()
    assert session.get(ProspectImport, imp.id).status == ImportStatus.FAILED


def test_the_error_report_keeps_a_multi_line_cell_of_a_failed_row(session, factory, tmp_path):
    rows = [["Email", "First Name", "Notes"], ["not-an-email", "Bad\r\nName", "line one\nline two"],
            ["ok@acme.com", "Ok", "fine"]]
    imp = import_all(session, factory.user("manager"), csv_bytes(rows), tmp_path,
                     mapping={"0": "email", "1": "first_name", "2": "custom:notes"})
    report = list(csv.reader(io.StringIO(error_report(session, imp), newline="")))
    assert report[1][:3] == ["not-an-email", "Bad\r\nName", "line one\nline two"]
    assert report[1][3] == "2"


def test_mixed_utf8_and_windows_1252_lines_are_each_read_right(session, factory, tmp_path):
    data = (b"Email,First Name,Last Name\r\n"
            + "jose@acme.com,José,Müller\r\n".encode()
            + "francois@acme.com,François,Dvořák\r\n".encode()
            + "rene@acme.com,René,Löw\r\n".encode("cp1252")
            + "ana@acme.com,Ana,Straße\r\n".encode())
    imp = import_all(session, factory.user("manager"), data, tmp_path)
    assert imp.status == ImportStatus.DONE and imp.created_count == 4
    people = by_email(session)
    assert [people[e].first_name + " " + people[e].last_name for e in
            ("jose@acme.com", "francois@acme.com", "rene@acme.com", "ana@acme.com")] == [
        "José Müller", "François Dvořák", "René Löw", "Ana Straße"]
    assert imp.encoding.startswith("utf-8/cp125")  # one short line: 1252 and 1250 spell René Löw alike


def test_a_utf8_file_with_lithuanian_windows_1257_lines_reads_both(session, factory, tmp_path):
    data = (b"Email,First Name\r\n" + "a@acme.lt,Šarūnas\r\n".encode()
            + "b@acme.lt,Žydrūnė\r\n".encode("cp1257") + "c@acme.lt,Ąžuolas\r\n".encode("cp1257"))
    import_all(session, factory.user("manager"), data, tmp_path)
    people = by_email(session)
    assert [people[e].first_name for e in ("a@acme.lt", "b@acme.lt", "c@acme.lt")] == ["Šarūnas", "Žydrūnė", "Ąžuolas"]
