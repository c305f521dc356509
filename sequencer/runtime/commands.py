"""The operator's commands: `sequencer doctor` (is everything able to work?) and `sequencer backup PATH`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from sequencer.errors import DomainError
from sequencer.extensions import db, redis_store
from sequencer.platform import clock


@click.command("doctor", help="Check configuration, database, Redis, workers, cron, mailboxes and clock; "
                              "exit 1 on a problem.")
@with_appcontext
def doctor_command() -> None:
    from sequencer.ops import doctor
    from sequencer.ops.mailbox_checks import check_mailboxes
    from sequencer.platform.security import SecretBox

    settings = dict(current_app.config)
    now = clock.now()
    conn = redis_store.connection() if settings.get("REDIS_URL") else None
    results = doctor.run([
        lambda: doctor.check_config(settings),
        lambda: doctor.check_database(db.engine, settings["DATABASE_URL"]),
        lambda: doctor.check_redis(conn, now),
        lambda: check_mailboxes(db.session, SecretBox(settings["SECRET_KEY"])),
        lambda: doctor.check_clock(db.engine, now),
    ])
    click.echo(doctor.table(results))
    failed = [c for c in results if c.status == "fail"]
    if failed:
        click.echo(f"\n{len(failed)} problem(s): {', '.join(c.name for c in failed)}", err=True)
        sys.exit(1)


@click.command("backup", help="Copy the SQLite database to PATH with SQLite's online backup API.")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    from sequencer.ops.backup import backup_sqlite

    try:
        size = backup_sqlite(current_app.config["DATABASE_URL"], path)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"backed up to {path} ({size} bytes)")


COMMANDS = (doctor_command, backup_command)
