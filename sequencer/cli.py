"""The commands of `sequencer`, registered on the app (so `flask --app wsgi ...` works too); the console
script itself is `sequencer.__main__:main`."""
from __future__ import annotations

import json
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from sequencer.errors import DomainError
from sequencer.extensions import db
from sequencer.platform.serialize import iso


def _fail(exc: DomainError) -> None:
    db.session.rollback()
    raise click.ClickException(exc.message)


@click.group("db", help="Database schema.")
def db_group() -> None:
    pass


@db_group.command("upgrade", help="Apply Alembic migrations to DATABASE_URL.")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    from sequencer.platform import migrate

    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


@click.group("users", help="Manage users.")
def users_group() -> None:
    pass


@users_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "manager", "rep"]), required=True)
@click.option("--password", required=True, help="At least 8 characters, not only spaces, not a common password.")
@click.option("--name", default="")
@click.option("--timezone", default="Europe/Vilnius", show_default=True)
@with_appcontext
def users_create(email: str, role: str, password: str, name: str, timezone: str) -> None:
    from sequencer.accounts.users import create_user

    try:
        user = create_user(db.session, email, role, password, name=name, timezone=timezone)
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"created {user.role.value} {user.email} (id {user.id})")


@click.group("tokens", help="API tokens.")
def tokens_group() -> None:
    pass


def _user(email: str, active: bool = True):
    from sqlalchemy import select

    from sequencer.models import User

    user = db.session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None or (active and not user.active):
        raise click.ClickException(f"no {'active ' if active else ''}user {email}")
    return user


@tokens_group.command("create", help="Print a new API token for EMAIL, alone on stdout.")
@click.argument("email")
@click.option("--name", default="cli", show_default=True, help="Shown in the token list.")
@click.option("--expires-in-days", type=int, default=None, help="Stop working after this many days (default: never).")
@with_appcontext
def tokens_create(email: str, name: str, expires_in_days: int | None) -> None:
    from sequencer.accounts.tokens import issue_token

    try:
        _, token = issue_token(db.session, _user(email), name=name, expires_in_days=expires_in_days)
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(token)


@tokens_group.command("revoke", help="Revoke the API token TOKEN_ID, or with --all EMAIL every token of that user.")
@click.argument("token_id", type=int, required=False)
@click.option("--all", "all_of", metavar="EMAIL", default=None, help="Revoke every token of this user.")
@with_appcontext
def tokens_revoke(token_id: int | None, all_of: str | None) -> None:
    from sequencer.accounts.tokens import revoke_all, revoke_token
    from sequencer.models import ApiToken

    if (token_id is None) == (all_of is None):
        raise click.UsageError("give either TOKEN_ID or --all EMAIL")
    if all_of is not None:
        count = revoke_all(db.session, _user(all_of, active=False))  # a person who left, too
        db.session.commit()
        click.echo(f"revoked {count} tokens of {all_of.strip().lower()}")
        return
    row = db.session.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None:
        raise click.ClickException(f"no token {token_id} (or it is already revoked)")
    revoke_token(db.session, row.user, row.id)  # the console is the workspace's own operator: acts as the owner
    db.session.commit()
    click.echo(f"revoked token {row.id} ({row.name or 'unnamed'}) of {row.user.email}")


@click.command("seed-demo", help="Load the demo workspace (idempotent).")
@with_appcontext
def seed_demo_command() -> None:
    from sequencer.demo import seed_demo

    result = seed_demo(db.session)
    db.session.commit()
    click.echo(result.summary())


@click.command("worker", help="Run an RQ worker (with RQ's scheduler) for all queues.")
@click.option("--burst", is_flag=True, help="Drain the queues, then exit.")
@click.option("--fork", is_flag=True, help="Fork a work-horse per job (RQ's Worker) instead of running jobs in-process.")
@with_appcontext
def worker_command(burst: bool, fork: bool) -> None:
    from sequencer.runtime.worker import run_worker

    run_worker(current_app._get_current_object(), burst=burst, fork=fork)  # type: ignore[attr-defined]  # LocalProxy, typed as Flask


@click.command("cron", help="Run the periodic schedule (workers/schedule.py); safe to run on several hosts.")
@with_appcontext
def cron_command() -> None:
    from sequencer.runtime.periodic import run_cron

    run_cron(current_app._get_current_object())  # type: ignore[attr-defined]  # LocalProxy, typed as Flask


def _parse_now(text: str | None):
    from datetime import datetime

    from sequencer.platform import clock

    if not text:
        return clock.now()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an ISO 8601 moment", param_hint="--now") from None
    if moment.tzinfo is None:
        raise click.BadParameter("give a time zone offset, e.g. 2026-12-01T09:00:00+02:00 or ...Z",
                                 param_hint="--now")
    return moment


@click.command("tick", help="One dispatch pass as of --now.")
@click.option("--now", "now_text", default=None, help="ISO 8601 moment with offset (default: the clock).")
@click.option("--sync", is_flag=True, help="Do the due work in this process instead of enqueueing it.")
@click.option("--dry-run", is_flag=True, help="Print what would happen and change nothing.")
@with_appcontext
def tick_command(now_text: str | None, sync: bool, dry_run: bool) -> None:
    from sequencer.outreach.dispatch import run_pass

    now = _parse_now(now_text)
    if dry_run:
        result = run_pass(db.session, now, dry_run=True)
        db.session.rollback()
        for a in result.actions:
            click.echo(f"{a['due_at']}  {a['action']:<10}  {a['sequence']} step {a['position']} "
                       f"({a['step_type']})  {a['prospect']}  mailbox {a['mailbox_id'] or '-'}")
        click.echo(f"{len(result.actions)} due as of {now.isoformat()} (dry run: nothing changed)")
        return
    if sync:
        from sequencer.mail.sending import dispatch_and_send
        from sequencer.platform import clock

        with clock.frozen(now):  # sending checks leases against the same moment the pass used
            passed, sent = dispatch_and_send(db.session, current_app.config, now)
        summary = {**passed.summary(), **{f"emails_{k}": v for k, v in vars(sent).items()}}
        click.echo(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in summary.items()))
        return
    from sequencer.extensions import redis_store
    from sequencer.platform import queues

    job = queues.enqueue(queues.DISPATCH, "workers.jobs.dispatch", now.isoformat(), connection=redis_store.connection())
    click.echo(f"enqueued dispatch job {job.id} as of {now.isoformat()}")


@click.group("jobs", help="The periodic jobs of workers/schedule.py: list them, or run one once.")
def jobs_group() -> None:
    pass


@jobs_group.command("list", help="The periodic jobs with their intervals, one a line.")
@click.option("--json", "as_json", is_flag=True, help="A JSON list instead of lines.")
def jobs_list(as_json: bool) -> None:
    from sequencer.runtime.periodic import load_schedule

    schedule = load_schedule()
    if as_json:
        click.echo(json.dumps([{"name": p.name, "interval_seconds": p.interval_seconds, "queue": p.queue,
                                "timeout_seconds": p.timeout_seconds} for p in schedule]))
        return
    width = max(len(p.name) for p in schedule)
    for p in schedule:
        click.echo(f"{p.name:<{width}}  every {p.every:<7} queue {p.queue:<9} timeout {p.timeout_seconds} s")


@jobs_group.command("run", help="Run one periodic job once, in this process, as of --now; prints its JSON result.")
@click.argument("name")
@click.option("--now", "now_text", default=None, help="ISO 8601 moment with offset (default: the clock).")
@with_appcontext
def jobs_run(name: str, now_text: str | None) -> None:
    from sequencer.runtime.periodic import by_name, load_schedule, run_once

    jobs = by_name(load_schedule())
    if name not in jobs:
        raise click.UsageError(f"no periodic job {name!r}; known jobs: {', '.join(jobs)}")
    now = _parse_now(now_text)
    result = run_once(current_app._get_current_object(), jobs[name], now)  # type: ignore[attr-defined]  # LocalProxy, typed as Flask
    click.echo(json.dumps(result, default=_json_default))


def _json_default(value: object) -> object:
    """Whatever a job returns beyond JSON's types: times as ISO 8601, sets as lists, the rest as text."""
    from datetime import date, datetime

    if isinstance(value, datetime) and value.tzinfo is not None:
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


@click.command("inbound", help="Ingest one raw RFC 5322 message (stdin when no FILE).")
@click.argument("file", required=False, default="-", type=click.File("rb"))
def inbound_command(file) -> None:
    from sequencer.inbound.service import ingest
    from sequencer.platform import clock

    raw = file.read()
    if not raw.strip():
        raise click.UsageError("the message is empty")
    result = ingest(db.session, raw, source="cli", now=clock.now())
    click.echo(json.dumps({"id": result.id, "status": result.status, "classification": result.classification,
                           "prospect_id": result.prospect_id, "enrollment_id": result.enrollment_id,
                           "resume_at": iso(result.resume_at), "duplicate": result.duplicate}))
    if result.status == "error":
        sys.exit(1)


@click.command("run", help="The whole product on one machine: web, worker, periodic jobs, embedded Redis.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-demo", is_flag=True, help="Don't load the demo workspace on first start.")
def run_command(host: str, port: int, no_demo: bool) -> None:
    from sequencer.runtime.runner import run_all

    sys.exit(run_all(current_app._get_current_object(), host=host, port=port, demo=not no_demo))  # type: ignore[attr-defined]  # LocalProxy, typed as Flask


COMMANDS = (db_group, users_group, tokens_group, seed_demo_command, worker_command, cron_command,
            tick_command, jobs_group, inbound_command, run_command)


def init_app(app: Flask) -> None:
    from sequencer.runtime.commands import COMMANDS as OPERATING

    for command in (*COMMANDS, *OPERATING):
        app.cli.add_command(command)
