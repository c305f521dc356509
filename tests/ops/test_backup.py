"""Backups: `sequencer backup PATH` (SQLite's online backup API), and a pg_dump restored and dispatched."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from sequencer.app import create_app
from sequencer.extensions import db
from sequencer.mail.sending import dispatch_and_send
from sequencer.models import Mailbox, Role, StepRun, User
from sequencer.models.mail import MailboxStatus
from sequencer.platform import clock, migrate
from sequencer.platform.db import make_engine
from tests.ops.conftest import enrol_many, open_sequence


def test_sqlite_backup_round_trip(app_config, tmp_path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    migrate.upgrade(url)
    live = create_app({**app_config, "DATABASE_URL": url})
    with live.app_context():
        db.session.add(User(email="kept@example.com", name="Kept", password_hash="x", role=Role.REP))
        db.session.commit()
        runner = live.test_cli_runner()
        result = runner.invoke(args=["backup", str(tmp_path / "copy.db")])
        assert result.exit_code == 0, result.output
        again = runner.invoke(args=["backup", str(tmp_path / "copy.db")])
        assert again.exit_code != 0 and "exists" in again.output  # never overwrites an older backup
        db.remove()
        db.engine.dispose()

    engine = make_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    with Session(engine) as copy:
        assert copy.scalars(select(User.email)).all() == ["kept@example.com"]
        assert copy.scalar(text("SELECT version_num FROM alembic_version"))  # the schema came along too
    engine.dispose()


def test_backup_refuses_postgresql(app_config, tmp_path):
    pg = create_app({**app_config, "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    result = pg.test_cli_runner().invoke(args=["backup", str(tmp_path / "x.db")])
    assert result.exit_code != 0 and "pg_dump" in result.output


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _outcome(session: Session, config: dict, now) -> tuple[dict, dict, list]:
    with clock.frozen(now):
        passed, sent = dispatch_and_send(session, config, now)
    rows = session.execute(select(StepRun.id, StepRun.state, StepRun.why_waiting).order_by(StepRun.id)).all()
    return passed.summary(), vars(sent), [(i, s.value, w) for i, s, w in rows]


@pytest.mark.postgres
def test_a_pg_dump_restored_into_a_new_database_dispatches_the_same(app, app_config, session, factory, tmp_path):
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("needs pg_dump and pg_restore (postgresql-client)")
    active = factory.mailbox(owner=factory.user("rep", timezone="UTC"), min_interval_seconds=0)
    paused = factory.mailbox(owner=factory.user("rep", timezone="UTC"))
    for mailbox, count in ((active, 4), (paused, 2)):
        enrol_many(factory, session, open_sequence(factory, session, mailbox, steps=2), count, mailbox.owner,
                   mailbox_id=mailbox.id)
    paused.status, paused.paused_reason = MailboxStatus.PAUSED, "bounces"  # paused after enrolling
    session.commit()
    source_url = app_config["DATABASE_URL"]
    dump = tmp_path / "seq.dump"
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _libpq(source_url)], check=True)

    restored_name = f"{make_url(source_url).database}_restore"
    admin = make_engine(make_url(source_url).set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{restored_name}"'))
    restored_url = make_url(source_url).set(database=restored_name).render_as_string(hide_password=False)
    try:
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(restored_url)}", str(dump)],
                       check=True)
        now = clock.now()
        engine = make_engine(restored_url)
        with Session(engine) as restored:
            assert restored.scalar(select(func.count()).select_from(Mailbox)) == 2
            theirs = _outcome(restored, {**app.config, "OUTBOX_DIR": str(tmp_path / "restored-outbox")}, now)
        engine.dispose()
        ours = _outcome(session, {**app.config, "OUTBOX_DIR": str(tmp_path / "source-outbox")}, now)
        assert ours == theirs
        assert ours[1]["sent"] == 4 and ours[0]["emails_claimed"] == 4
        assert sum(1 for _, state, why in ours[2] if state == "scheduled" and why and why.startswith("mailbox paused")) == 2
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)'))
        admin.dispose()
