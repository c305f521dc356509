"""Issue 23 defect 5 on the report page: each winner button asks first with the numbers, and a declaration below
the minimum sample needs the explicit override box."""
from __future__ import annotations

import re

from tests.api.test_reports import _seq


def test_report_page_asks_with_the_numbers_and_offers_the_override(client, as_role, factory, session):
    seq = _seq(factory, session)
    as_role("manager")
    b = seq.steps[0].variants[1]
    html = client.get(f"/reports/sequences/{seq.id}").get_data(as_text=True)
    form = re.search(r'<form[^>]*class="[^"]*winner-form[^"]*"[^>]*>.*?</form>', html, re.S).group(0)
    asks = re.findall(r'<button[^>]*name="variant_id"[^>]*data-confirm="([^"]*)"', form, re.S)
    assert len(asks) == 2, form  # every live variant's button asks first
    assert "variant B" in asks[1] and "A 3 sent" in asks[1] and "B 3 sent" in asks[1] and "minimum" in asks[1]
    assert 'name="override"' in form
    url = f"/reports/sequences/{seq.id}/steps/1/winner"
    page = client.post(url, data={"variant_id": str(b.id)}, follow_redirects=True).get_data(as_text=True)
    assert "minimum sample" in page and "Variant B won." not in page
    page = client.post(url, data={"variant_id": str(b.id), "override": "on"}, follow_redirects=True).get_data(as_text=True)
    assert "Variant B won." in page
