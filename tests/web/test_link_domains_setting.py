"""The workspace setting that decides which links in a rep's manual email may be click-tracked."""
from __future__ import annotations

from sequencer.accounts.workspace import get_workspace


def test_admin_sets_the_tracked_link_domains(client, as_role, session):
    as_role("admin")
    form = {"company_name": "Sequencer", "postal_address": "Gedimino pr. 1, Vilnius",
            "days": ["mon", "tue"], "window_start": "09:00", "window_end": "17:00",
            "fallback_timezone": "Europe/Vilnius"}
    res = client.post("/settings/workspace", data={**form, "tracked_link_domains": "not a domain!"})
    assert res.status_code == 422 and "not a domain" in res.get_data(as_text=True)
    res = client.post("/settings/workspace", data={**form, "tracked_link_domains": "https://www.Example.com/x\nsub.example.org, example.com"})
    assert res.status_code == 302
    session.expire_all()
    assert get_workspace(session).tracked_link_domains == ["example.com", "sub.example.org"]
