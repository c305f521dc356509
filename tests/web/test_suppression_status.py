"""Issue 23 defect 4: a suppressed prospect shows as suppressed wherever their status shows, not "Active"."""
from __future__ import annotations

import re

from sequencer.people.suppression.admin import add_entries
from sequencer.platform import clock


def _status_cell(html: str, prospect_id: int) -> str:
    row = re.search(rf'<tr>\s*<td class="check-col"><input[^>]*value="{prospect_id}".*?</tr>', html, re.S)
    assert row, html[:2000]
    return row.group(0)


def test_suppressed_address_and_domain_show_in_the_list_and_on_the_page(client, as_role, factory, session):
    manager = as_role("manager")
    by_address = factory.prospect(first_name="Ona", email="ona@freight-demo.com")
    by_domain = factory.prospect(first_name="Jonas", email="jonas@competitor-demo.com")
    free = factory.prospect(first_name="Eglė", email="egle@customer-demo.com")
    add_entries(session, [(1, "ona@freight-demo.com"), (2, "competitor-demo.com")], "do_not_contact", clock.now(),
                actor=manager)
    session.commit()
    html = client.get("/prospects").get_data(as_text=True)
    for suppressed in (by_address, by_domain):
        cell = _status_cell(html, suppressed.id)
        assert "Suppressed" in cell and "Active" not in cell, cell
    assert "Active" in _status_cell(html, free.id)
    page = client.get(f"/prospects/{by_domain.id}").get_data(as_text=True)
    head = page.split("<h1>", 1)[1].split("</div>", 1)[0]
    assert "Suppressed" in head and "Active" not in head, head
