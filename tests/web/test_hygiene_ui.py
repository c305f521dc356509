"""Hygiene pages: duplicates and merging, the suppression list, the erase button."""
from __future__ import annotations

import io

from sqlalchemy import select

from sequencer.models import Prospect, Suppression
from sequencer.outreach.suppression_lists import suppressed_among
from tests.people.csv_import.helpers import csv_bytes


def test_duplicates_page_merges(client, as_role, factory, session):
    as_role("manager")
    a = factory.prospect(email="j@x.com", first_name="Jonas", last_name="Jonaitis")
    b = factory.prospect(email="j+1@x.com", first_name="Jonas", last_name="Jonaitis")
    session.commit()
    page = client.get("/prospects/duplicates").get_data(as_text=True)
    assert "Alias of the same address" in page and "j+1@x.com" in page
    res = client.post("/prospects/merge", data={"keep_id": a.id, "pair": f"{a.id},{b.id}"})
    assert res.status_code == 302
    session.expire_all()
    assert session.get(Prospect, b.id) is None and session.get(Prospect, a.id) is not None
    assert "No likely duplicates" in client.get("/prospects/duplicates").get_data(as_text=True)



def test_suppression_page_adds_from_text_and_csv(client, as_role, session):
    as_role("manager")
    res = client.post("/suppressions", data={"entries": "anna@customer.lt\ncustomer2.lt", "reason": "customer"})
    assert res.status_code == 302
    data = csv_bytes([["Email or domain"], ["x@y.com"], ["=cmd|' /C calc'!A0"], ["rival.de"]], ";")
    res = client.post("/suppressions", data={"file": (io.BytesIO(data), "dnc.csv"), "reason": "do_not_contact"},
                      content_type="multipart/form-data")
    page = client.get(res.headers["Location"]).get_data(as_text=True)
    assert "Added 2; 0 were already listed" in page and "line 3" in page
    assert suppressed_among(session, ["anna@customer.lt", "b@customer2.lt", "x@y.com", "q@rival.de"]) == {
        "anna@customer.lt", "b@customer2.lt", "x@y.com", "q@rival.de"}
    row = session.scalars(select(Suppression).where(Suppression.value == "x@y.com")).one()
    client.post("/logout")
    as_role("rep")
    assert client.post(f"/suppressions/{row.id}/delete").status_code == 403  # reps can't lift entries


def test_erase_button_needs_a_manager_and_the_typed_address(client, as_role, factory, session):
    p = factory.prospect(email="gone@x.com")
    session.commit()
    as_role("rep")
    assert client.post(f"/prospects/{p.id}/erase", data={"confirm_email": "gone@x.com"}).status_code == 403
    client.post("/logout")
    as_role("manager")
    assert "Erase this person" in client.get(f"/prospects/{p.id}").get_data(as_text=True)
    client.post(f"/prospects/{p.id}/erase", data={"confirm_email": "wrong@x.com"})
    assert session.get(Prospect, p.id) is not None
    client.post(f"/prospects/{p.id}/erase", data={"confirm_email": "Gone@x.com"})
    session.expire_all()
    assert session.get(Prospect, p.id) is None
