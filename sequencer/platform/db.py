"""Engine, sessions and the declarative base; no Flask here (the app binds them in `sequencer.extensions`)."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, CursorResult, DateTime, Engine, MetaData, Result, Table, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, scoped_session
from sqlalchemy.types import TypeDecorator

from sequencer.platform import collation

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Stores UTC, hands back aware UTC datetimes on every backend (SQLite keeps no offset)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict: JSON(), list: JSON()}


def table_of(model: type[Base]) -> Table:
    """A model's Table (declarative types `__table__` as any FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _unicode_lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


def _translate(value: str | None, marked: str, plain: str) -> str | None:
    return value.translate(str.maketrans(marked, plain)) if isinstance(value, str) else value


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the per-backend settings we rely on (SQLite: WAL, foreign keys, busy timeout).

    Bound parameters never appear in errors or logs (they hold encrypted passwords, tokens, personal data)."""
    kwargs.setdefault("hide_parameters", True)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()
            # SQLite's lower() is ASCII-only; searches for "Žukauskas" must behave as on PostgreSQL
            dbapi_conn.create_function("lower", 1, _unicode_lower, deterministic=True)
            dbapi_conn.create_function("translate", 3, _translate, deterministic=True)  # as PostgreSQL's
            collation.register_sqlite(dbapi_conn)  # Lithuanian name order, as PostgreSQL's lt-x-icu

        return engine
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    _track_writes(engine)
    return engine


WROTE = "sequencer.wrote"


def _track_writes(engine: Engine) -> None:
    """Flags a connection whose open transaction ran anything but a SELECT (`end_session` reads the flag)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _mark(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() != "SELECT":
            conn.info[WROTE] = True

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _clear(conn: Any) -> None:
        conn.info.pop(WROTE, None)


def rowcount(result: Result[*tuple[Any, ...]]) -> int:
    """Rows an UPDATE or DELETE matched: Session.execute types its result as a plain Result, but for those
    statements it is a CursorResult, which has the count."""
    assert isinstance(result, CursorResult)
    return result.rowcount


def note_write(connection: Any) -> None:
    """For writes that bypass SQLAlchemy's cursor (COPY through the driver)."""
    connection.info[WROTE] = True


def end_session(scoped: scoped_session) -> None:
    """Ends the request's session: a transaction that wrote nothing ends with COMMIT, not ROLLBACK.

    For a read the two are the same to the database, but psycopg forgets every prepared statement on a
    rollback, so ending reads with one made PostgreSQL plan every query of every page again (~40% of the
    Today page's SQL time). Anything written and not committed by its handler is still rolled back.
    """
    session = scoped()
    try:
        if session.in_transaction() and not (session.new or session.dirty or session.deleted) \
                and session.get_bind().dialect.name == "postgresql" and not session.connection().info.get(WROTE):
            session.commit()
    except SQLAlchemyError:
        pass  # e.g. the database is down: nothing was written, and remove() below cleans up as it always did
    finally:
        scoped.remove()
