"""`sequencer backup PATH` for the embedded SQLite database, with SQLite's online backup API: a consistent
copy taken while the app, workers and cron keep writing. PostgreSQL is backed up with pg_dump instead."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from sequencer.errors import Invalid


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise Invalid("`sequencer backup` copies the SQLite database; for PostgreSQL use pg_dump (see README)")
    return Path(url.database)


def backup_sqlite(database_url: str, target: Path) -> int:
    """Copy the database to `target` (which must not exist yet); returns the copy's size in bytes."""
    source = sqlite_path(database_url)
    if not source.exists():
        raise Invalid(f"no database at {source}")
    if target.exists():
        raise Invalid(f"{target} exists: choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=1024)
        dst.execute("PRAGMA integrity_check").fetchone()
    src.close()
    dst.close()
    return target.stat().st_size
