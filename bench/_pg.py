"""Shared set-up for benchmarks: a throw-away PostgreSQL database, migrated, and an app bound to it."""
from __future__ import annotations

import os

from sqlalchemy import text
from sqlalchemy.engine import make_url

from sequencer.app import create_app
from sequencer.platform import migrate
from sequencer.platform.db import make_engine

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def fresh_database(name: str) -> str:
    """(Re)create database `name` next to BENCH_ADMIN_URL's and migrate it; returns its URL."""
    admin_url = os.environ.get("BENCH_ADMIN_URL", DEFAULT_ADMIN_URL)
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    return url


def bench_app(database_url: str):
    return create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench", "TESTING": True,
                       "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")})
