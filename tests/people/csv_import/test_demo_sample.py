"""Issue 23 defect 8: the demo's own sample CSV imports as offered, every skipped row is listed with its reason,
the counts add up, and a `+alias` of an existing prospect is the same person on every door."""
from __future__ import annotations

from sqlalchemy import func, select

from sequencer.models import ImportRowIssue, Prospect
from sequencer.web.imports import SAMPLE
from tests.demo.conftest import seeded  # noqa: F401  (the demo workspace fixture)
from tests.people.csv_import.helpers import csv_bytes, import_all, upload


def _manager(session):
    from sequencer.models import User
    return session.scalars(select(User).where(User.email == "manager@example.com")).one()


def test_the_contact_info_column_of_emails_is_guessed_as_email(session, factory, tmp_path):
    imp = upload(session, factory.user("manager"), SAMPLE.read_bytes(), tmp_path)
    column = str(imp.header.index("Contact Info"))
    assert imp.mapping[column] == "email"


def test_an_email_column_is_guessed_from_its_values_whatever_its_name(session, factory, tmp_path):
    rows = [["Name", "Reach"], ["Ona K", "ona@freight-demo.com"], ["Jonas P", "jonas@ritmas-demo.lt"], ["Eglė", ""]]
    imp = upload(session, factory.user("manager"), csv_bytes(rows), tmp_path)
    assert imp.mapping == {"0": "full_name", "1": "email"}


def test_the_sample_imports_with_every_row_accounted_for(session, seeded, tmp_path):  # noqa: F811
    before = session.scalar(select(func.count()).select_from(Prospect))
    dalia = session.scalars(select(Prospect).where(
        Prospect.email_normalized == "dalia.grybauskiene@nemuno-baldu-fabrikas-demo.com")).one()
    imp = import_all(session, _manager(session), SAMPLE.read_bytes(), tmp_path, on_duplicate="update_empty")
    assert imp.status.value == "done", imp.error
    data_rows = imp.processed_rows
    assert imp.created_count + imp.updated_count + imp.skipped_count + imp.failed_count == data_rows
    listed = set(session.scalars(select(ImportRowIssue.line).where(ImportRowIssue.import_id == imp.id)))
    assert len(listed) == imp.skipped_count + imp.failed_count, (listed, imp.skipped_count, imp.failed_count)
    assert not session.scalars(select(Prospect).where(Prospect.email_normalized.like("dalia.grybauskiene+%"))).all()
    reasons = session.scalars(select(ImportRowIssue.reason).where(ImportRowIssue.import_id == imp.id)).all()
    assert any(f"#{dalia.id}" in r for r in reasons) or imp.updated_count >= 1
    assert session.scalar(select(func.count()).select_from(Prospect)) == before + imp.created_count


def test_the_api_and_the_import_treat_a_plus_alias_as_the_same_person(client, session, factory, tmp_path):
    manager = factory.user("manager")
    known = factory.prospect(email="ona.k@freight-demo.com", first_name="Ona", last_name="K")
    session.commit()
    headers = {"Authorization": f"Bearer {factory.token(manager)}"}
    r = client.post("/api/v1/prospects", json={"email": "ona.k+events@freight-demo.com", "first_name": "Ona"},
                    headers=headers)
    assert r.status_code == 409 and r.json["error"]["existing_id"] == known.id, r.json
    imp = import_all(session, manager, csv_bytes([["Email", "Phone"], ["ona.k+nav@freight-demo.com", "+37060012345"]]),
                     tmp_path, on_duplicate="update_empty")
    assert (imp.created_count, imp.updated_count) == (0, 1)
    session.refresh(known)
    assert known.phone == "+37060012345"


def test_unmapping_the_email_column_is_refused_pointing_at_it(session, factory, tmp_path):
    import pytest

    from sequencer.errors import Invalid
    from sequencer.people.csv_import.service import confirm

    manager = factory.user("manager")
    imp = upload(session, manager, SAMPLE.read_bytes(), tmp_path)
    column = imp.header.index("Contact Info")
    with pytest.raises(Invalid) as refused:
        confirm(session, imp, {**imp.mapping, str(column): ""}, {}, manager)
    assert refused.value.details[0] == {"field": f"mapping.{column}",
                                        "message": "map one column to Email: column 'Contact Info' holds email addresses"}


def test_the_api_and_a_website_form_find_the_same_person_behind_two_plus_tags(client, session, factory):
    from sequencer.people.aliases import find_same_person

    manager = factory.user("manager")
    known = factory.prospect(email="ona.k+events@freight-demo.com", first_name="Ona", last_name="K")
    factory.prospect(email="ona.kk@freight-demo.com")
    session.commit()
    assert find_same_person(session, "ona.k+web@freight-demo.com").id == known.id  # what a form submission uses
    assert find_same_person(session, "ona.k@freight-demo.com").id == known.id
    assert find_same_person(session, "ona@freight-demo.com") is None
    r = client.post("/api/v1/prospects", json={"email": "ona.k+web@freight-demo.com", "first_name": "Ona"},
                    headers={"Authorization": f"Bearer {factory.token(manager)}"})
    assert r.status_code == 409 and r.json["error"]["existing_id"] == known.id, r.json
