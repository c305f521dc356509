"""Settings → API tokens: every user lists their tokens, creates one (shown once) and revokes."""
from sequencer.accounts.tokens import issue_token, user_for_token


def test_a_rep_creates_a_token_sees_it_once_and_revokes_it(client, as_role, session):
    rep = as_role("rep")
    res = client.post("/settings/tokens", data={"name": "Zapier", "expires_in_days": "30"})
    assert res.status_code == 200
    html = res.get_data(as_text=True)
    token = html.split('id="new-token"')[1].split(">")[1].split("<")[0].strip()
    listing = client.get("/settings/tokens").get_data(as_text=True)
    assert "Zapier" in listing and token not in listing and "Never used" in listing
    assert token.startswith("sq_") and user_for_token(session, token) == rep
    row = rep.tokens[0]
    res = client.post(f"/settings/tokens/{row.id}/revoke", follow_redirects=True)
    assert "revoked" in res.get_data(as_text=True)
    assert user_for_token(session, token) is None


def test_the_list_shows_only_ones_own_tokens(client, as_role, factory, session):
    other = factory.user("rep")
    row, _ = issue_token(session, other, name="not yours")
    session.commit()
    as_role("rep")
    assert "not yours" not in client.get("/settings/tokens").get_data(as_text=True)
    assert client.post(f"/settings/tokens/{row.id}/revoke").status_code == 404


def test_a_bad_expiry_is_shown_next_to_the_form(client, as_role):
    as_role("manager")
    res = client.post("/settings/tokens", data={"name": "x", "expires_in_days": "0"})
    assert res.status_code == 422
    assert "expires_in_days" in res.get_data(as_text=True) or "days" in res.get_data(as_text=True)


def test_the_settings_tabs_offer_only_what_the_role_may_open(client, as_role):
    as_role("rep")
    html = client.get("/settings/tokens").get_data(as_text=True)
    assert 'href="/settings/webhooks"' not in html and 'href="/settings/queues"' not in html
    assert client.get("/settings/webhooks").status_code == 403
