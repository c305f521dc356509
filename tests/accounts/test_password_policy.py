"""Passwords: long enough, not whitespace only, not one of the commonest (zxcvbn's list), on every door."""
import pytest

from sequencer.accounts.passwords import password_problem
from sequencer.accounts.users import create_user
from sequencer.errors import Invalid


@pytest.mark.parametrize("password, problem", [
    ("short", "at least 8 characters"),
    ("        ", "only spaces"),
    ("\t \n \t \n  ", "only spaces"),
    ("password1", "too common"),
    ("Password123", "too common"),
    (" qwertyuiop ", "too common"),
    ("iloveyou", "too common"),
])
def test_weak_passwords_are_refused(password, problem):
    assert problem in (password_problem(password) or "")


@pytest.mark.parametrize("password", ["correct horse battery", "sequencer-demo", "Vilnius-2026-žiema"])
def test_good_passwords_pass(password):
    assert password_problem(password) is None


def test_create_user_uses_the_policy(factory, session):
    with pytest.raises(Invalid) as info:
        create_user(session, "x@example.com", "rep", "password123")
    assert info.value.details[0]["field"] == "password"


def test_cli_refuses_a_common_password(app):
    res = app.test_cli_runner().invoke(args=["users", "create", "x@example.com", "--role", "rep",
                                             "--password", "12345678"])
    assert res.exit_code != 0 and "too common" in res.output


def test_settings_refuses_a_whitespace_password(client, factory, session):
    from tests.conftest import login

    admin = factory.user("admin")
    session.commit()
    login(client, admin.email)
    res = client.post("/settings/users", data={"email": "new@example.com", "role": "rep", "name": "N",
                                               "timezone": "Europe/Vilnius", "password": " " * 12})
    assert res.status_code == 422 and "only spaces" in res.get_data(as_text=True)
