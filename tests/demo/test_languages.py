"""The demo's Lithuanian rep sees Lithuanian by default; her English-speaking colleagues see English."""
from __future__ import annotations

from sequencer.demo import DEMO_PASSWORD, seed_demo
from tests.conftest import login


def test_the_lithuanian_rep_sees_lithuanian_and_the_american_rep_english(app, client, session):
    seed_demo(session)
    session.commit()
    login(client, "rep@example.com", DEMO_PASSWORD)
    html = client.get("/profile").get_data(as_text=True)
    assert '<html lang="lt">' in html and "Profilis" in html
    client.post("/logout")
    login(client, "rep2@example.com", DEMO_PASSWORD)
    assert '<html lang="en">' in client.get("/profile").get_data(as_text=True)
