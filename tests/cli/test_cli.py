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


def test_tokens_create_takes_a_name_and_an_expiry_and_still_prints_only_the_token(app, session, factory):
    user = factory.user("rep", email="rep@example.com")
    session.commit()
    res = app.test_cli_runner().invoke(
        args=["tokens", "create", "rep@example.com", "--name", "zapier", "--expires-in-days", "30"])
    assert res.exit_code == 0, res.output
    token = res.stdout.strip()
    assert res.stdout == token + "\n" and user_for_token(session, token) == user
    session.refresh(user)
    row = user.tokens[0]
    assert row.name == "zapier" and row.expires_at is not None


def test_tokens_create_refuses_a_bad_expiry(app, session, factory):
    factory.user("rep", email="rep@example.com")
    session.commit()
    res = app.test_cli_runner().invoke(args=["tokens", "create", "rep@example.com", "--expires-in-days", "0"])
    assert res.exit_code != 0 and "expires_in_days" in res.output


def test_tokens_revoke_one_by_id_and_all_of_a_user(app, session, factory):
    from sequencer.accounts.tokens import issue_token

    user = factory.user("rep", email="rep@example.com")
    one, first = issue_token(session, user, name="one")
    _, second = issue_token(session, user, name="two")
    _, third = issue_token(session, user, name="three")
    session.commit()
    runner = app.test_cli_runner()
    res = runner.invoke(args=["tokens", "revoke", str(one.id)])
    assert res.exit_code == 0 and "revoked token" in res.output
    assert user_for_token(session, first) is None and user_for_token(session, second) == user
    res = runner.invoke(args=["tokens", "revoke", "--all", "REP@example.com"])
    assert res.exit_code == 0 and "revoked 2 tokens" in res.output
    assert user_for_token(session, second) is None and user_for_token(session, third) is None


def test_tokens_revoke_needs_exactly_one_target(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["tokens", "revoke"]).exit_code != 0
    assert runner.invoke(args=["tokens", "revoke", "1", "--all", "x@example.com"]).exit_code != 0
    res = runner.invoke(args=["tokens", "revoke", "99999"])
    assert res.exit_code != 0 and "no token" in res.output.lower()
