"""A row whose email another import created between the batch's lookup and its insert is skipped, not lost."""
from __future__ import annotations

from datetime import UTC, datetime

from sequencer.people.csv_import import loading
from sequencer.people.csv_import.service import issues_page
from tests.people.csv_import.helpers import by_email, csv_bytes, import_all


def test_a_prospect_created_meanwhile_is_reported_as_a_duplicate(session, factory, tmp_path, monkeypatch):
    real_insert = loading.insert_new_prospects

    def racing_insert(session_, rows):
        factory.prospect(email="taken@acme.com", created_at=datetime(2020, 1, 1, tzinfo=UTC))  # the other import
        return real_insert(session_, rows)

    monkeypatch.setattr(loading, "insert_new_prospects", racing_insert)
    rows = [["Email", "First Name"], ["new@acme.com", "Nora"], ["taken@acme.com", "Tom"]]
    imp = import_all(session, factory.user("manager"), csv_bytes(rows), tmp_path)

    assert (imp.created_count, imp.skipped_count) == (1, 1)
    assert by_email(session)["new@acme.com"].first_name == "Nora"
    assert by_email(session)["taken@acme.com"].first_name == "Prospect"  # the other import's row is kept
    issue = issues_page(session, imp)[0]
    assert (issue.line, issue.kind, issue.reason) == (
        3, "duplicate", "a prospect with this email was created meanwhile; skipped")
