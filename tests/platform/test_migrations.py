"""Migrations apply and roll back on both databases, and match the models exactly."""
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from sequencer.platform import migrate
from sequencer.platform.db import Base, make_engine


@pytest.fixture
def scratch_url(tmp_path):
    """An empty database of the kind under test."""
    pg = os.environ.get("TEST_DATABASE_URL")
    if not pg:
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    name = f"scratch_{uuid.uuid4().hex[:10]}"
    admin = make_engine(pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield make_url(pg).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


def test_upgrade_downgrade_upgrade(scratch_url):
    migrate.upgrade(scratch_url)
    engine = make_engine(scratch_url)
    assert {"users", "step_runs", "events", "inbound_messages"} <= set(inspect(engine).get_table_names())
    migrate.downgrade(scratch_url, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(scratch_url)
    assert "prospects" in inspect(engine).get_table_names()
    engine.dispose()


def test_models_and_migrations_agree(scratch_url):
    migrate.upgrade(scratch_url)
    engine = make_engine(scratch_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    assert diff == [], f"models differ from migrations: {diff}"


def test_hot_path_indexes_exist(scratch_url):
    migrate.upgrade(scratch_url)
    engine = make_engine(scratch_url)
    insp = inspect(engine)
    cols = lambda table: {tuple(ix["column_names"]) for ix in insp.get_indexes(table)}  # noqa: E731
    assert ("state", "due_at") in cols("step_runs")
    assert ("owner_id", "status", "due_at") in cols("tasks")
    assert ("step_id", "variant_id", "kind") in cols("events")
    engine.dispose()
