"""Small SQL helpers the scoring modules share: `IN` lists that stay cheap on PostgreSQL, row locks, chunks."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC

from sqlalchemy import JSON, any_, literal, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from sequencer.models import Prospect
from sequencer.platform.db import UTCDateTime

CHUNK = 1000


def is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def among(session: Session, column, values: Iterable):
    """`column IN values`; on PostgreSQL `= ANY(array)`: one parameter instead of thousands."""
    values = list(values)
    if is_pg(session):
        return column == any_(literal(values, ARRAY(column.type)))
    return column.in_(values)


def lock_prospects(session: Session, ids: Sequence[int]) -> None:
    """Row locks in id order (no deadlocks) so two workers scoring one prospect take turns (PostgreSQL)."""
    if is_pg(session):
        session.execute(select(Prospect.id).where(among(session, Prospect.id, ids)).order_by(Prospect.id)
                        .with_for_update())


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])


def _pg_column(session: Session, column, values: list) -> tuple[list, str, str]:
    """(values as PostgreSQL takes them in an array, the array's element type, how to read it back)."""
    if isinstance(column.type, JSON):
        return [None if v is None else json.dumps(v) for v in values], "text", "::json"
    if isinstance(column.type, UTCDateTime):
        return [None if v is None else v.astimezone(UTC).replace(tzinfo=None) for v in values], "timestamp", ""
    return values, column.type.compile(dialect=session.get_bind().dialect), ""


def insert_many(session: Session, model, rows: list[dict], *, returning: Sequence[str] = (),
                on_conflict: Sequence[str] = ()) -> list:
    """Insert many rows (same keys) in one statement: on PostgreSQL one array parameter per column (unnest),
    which the driver passes as is, where a multi-row VALUES list would be parsed value by value."""
    if not rows:
        return []
    table = model.__table__
    if not is_pg(session):
        stmt = sqlite.insert(table)
        if on_conflict:
            stmt = stmt.on_conflict_do_nothing(index_elements=list(on_conflict))
        if returning:
            return list(session.execute(stmt.returning(*(table.c[c] for c in returning)), rows))
        session.execute(stmt, rows)
        return []
    names = list(rows[0])
    params, arrays, reads = {}, [], []
    for i, name in enumerate(names):
        params[f"p{i}"], kind, read = _pg_column(session, table.c[name], [r[name] for r in rows])
        arrays.append(f"CAST(:p{i} AS {kind}[])")
        reads.append(f"c{i}{read}")
    sql = (f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {', '.join(reads)} "
           f"FROM unnest({', '.join(arrays)}) AS t({', '.join(f'c{i}' for i in range(len(names)))})")
    if on_conflict:
        sql += f" ON CONFLICT ({', '.join(on_conflict)}) DO NOTHING"
    if returning:
        return list(session.execute(text(sql + " RETURNING " + ", ".join(returning)), params))
    session.execute(text(sql), params)
    return []
