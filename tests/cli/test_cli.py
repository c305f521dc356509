from sqlalchemy import select

from sequencer.accounts.tokens import user_for_token
from sequencer.models import Role, User


def test_users_create(app, session):
    runner = app.test_cli_runner()
    res = runner.invoke(args=["users", "create", "Jurate@Example.com", "--role", "manager",
                              "--password", "long-enough", "--name", "Jūratė Čepulienė",
                              "--timezone", "Europe/Vilnius"])
    assert res.exit_code == 0, res.output
    user = session.scalars(select(User).where(User.email == "jurate@example.com")).one()
    assert user.role == Role.MANAGER and user.name == "Jūratė Čepulienė"


def test_users_create_refuses_bad_input_clearly(app):
    runner = app.test_cli_runner()
    res = runner.invoke(args=["users", "create", "x@example.com", "--role", "rep", "--password", "short"])
    assert res.exit_code != 0 and "password" in res.output
    res = runner.invoke(args=["users", "create", "x@example.com", "--role", "rep", "--password",
                              "long-enough", "--timezone", "Mars/Olympus"])
    assert res.exit_code != 0 and "time zone" in res.output
    runner.invoke(args=["users", "create", "x@example.com", "--role", "rep", "--password", "long-enough"])
    res = runner.invoke(args=["users", "create", "X@example.com", "--role", "rep", "--password", "long-enough"])
    assert res.exit_code != 0 and "exists" in res.output


def test_tokens_create_prints_only_the_token(app, session, factory):
    user = factory.user("rep", email="rep@example.com")
    session.commit()
    res = app.test_cli_runner().invoke(args=["tokens", "create", "rep@example.com"])
    assert res.exit_code == 0
    token = res.output.strip()
    assert res.output == token + "\n"
    assert user_for_token(session, token) == user


def test_tokens_create_for_unknown_user_fails(app):
    res = app.test_cli_runner().invoke(args=["tokens", "create", "ghost@example.com"])
    assert res.exit_code != 0 and "no active user" in res.output


def test_db_upgrade_is_idempotent(app):
    res = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert res.exit_code == 0 and "head" in res.output
