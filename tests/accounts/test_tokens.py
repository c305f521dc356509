"""API tokens as a service: a name, an optional expiry, revoking one or all; expired or revoked tokens fail."""
from datetime import UTC, datetime, timedelta

import pytest

from sequencer.accounts import tokens
from sequencer.errors import Invalid, NotFound
from sequencer.platform import clock

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_token_with_an_expiry_stops_working_after_it(factory, session):
    user = factory.user("rep")
    with clock.frozen(T0):
        row, token = tokens.issue_token(session, user, name="zapier", expires_in_days=7)
    assert row.name == "zapier" and row.expires_at is not None
    with clock.frozen(T0 + timedelta(days=7) - timedelta(seconds=1)):
        assert tokens.user_for_token(session, token) == user
    with clock.frozen(T0 + timedelta(days=7)):
        assert tokens.user_for_token(session, token) is None


def test_without_an_expiry_a_token_lasts(factory, session):
    user = factory.user("rep")
    row, token = tokens.issue_token(session, user, name="")
    assert row.expires_at is None
    with clock.frozen(clock.now() + timedelta(days=3650)):
        assert tokens.user_for_token(session, token) == user


@pytest.mark.parametrize("days", [0, -1, 3651, True, "7"])
def test_expiry_must_be_a_sensible_number_of_days(factory, session, days):
    with pytest.raises(Invalid) as info:
        tokens.issue_token(session, factory.user("rep"), name="x", expires_in_days=days)
    assert info.value.details[0]["field"] == "expires_in_days"


def test_the_name_is_bounded(factory, session):
    with pytest.raises(Invalid) as info:
        tokens.issue_token(session, factory.user("rep"), name="n" * 201)
    assert info.value.details[0]["field"] == "name"


def test_owner_revokes_own_token_and_it_fails_at_once(factory, session):
    user = factory.user("rep")
    row, token = tokens.issue_token(session, user, name="a")
    tokens.revoke_token(session, user, row.id)
    assert tokens.user_for_token(session, token) is None
    assert tokens.list_tokens(session, user) == []


def test_a_rep_cannot_revoke_someone_elses_token_but_an_admin_can(factory, session):
    owner, other, admin = factory.user("rep"), factory.user("rep"), factory.user("admin")
    row, token = tokens.issue_token(session, owner, name="a")
    with pytest.raises(NotFound):
        tokens.revoke_token(session, other, row.id)
    assert tokens.user_for_token(session, token) == owner
    tokens.revoke_token(session, admin, row.id)
    assert tokens.user_for_token(session, token) is None


def test_revoke_all_of_a_user(factory, session):
    user, other = factory.user("rep"), factory.user("rep")
    mine = [tokens.issue_token(session, user, name=str(n))[1] for n in range(3)]
    theirs = tokens.issue_token(session, other, name="keep")[1]
    assert tokens.revoke_all(session, user) == 3
    assert all(tokens.user_for_token(session, t) is None for t in mine)
    assert tokens.user_for_token(session, theirs) == other


def test_the_list_is_the_users_live_tokens_newest_first(factory, session):
    user = factory.user("rep")
    with clock.frozen(T0):
        first, _ = tokens.issue_token(session, user, name="first")
    with clock.frozen(T0 + timedelta(hours=1)):
        second, _ = tokens.issue_token(session, user, name="second")
    gone, _ = tokens.issue_token(session, user, name="gone")
    tokens.revoke_token(session, user, gone.id)
    assert [t.name for t in tokens.list_tokens(session, user)] == ["second", "first"]
