"""Seeding the demo takes seconds (its forms run through the form worker); the browser suites seed it dozens of
times. The first seed of a run is kept as rows in memory and later tests get those rows back in milliseconds.

Only while the clock runs free, the snapshot is under ten minutes old and from the same UTC day: the demo's
times are relative to `now`, and a test that freezes the clock or runs later gets a fresh seed instead.
"""
from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from sequencer.demo import people, seed_demo
from sequencer.platform import clock
from sequencer.platform.db import Base

MAX_AGE_SECONDS = 600


@dataclass
class Snapshot:
    taken: float
    day: date
    rows: dict[str, list[dict]]


_SNAPSHOTS: dict[str, Snapshot] = {}


def seed_or_restore(session: Session, *, english: bool = False) -> None:
    """`english`: seed as if nobody had chosen Lithuanian, so the demo's tasks are written in English too."""
    key = f"{session.get_bind().engine.url}|{english}"
    snap = _SNAPSHOTS.get(key)
    free = clock._frozen is None
    if snap and free and time.monotonic() - snap.taken < MAX_AGE_SECONDS and snap.day == clock.now().date():
        _restore(session, snap.rows)
        return
    with _profiles({} if english else None):
        seed_demo(session)
    session.commit()
    if free:
        _SNAPSHOTS[key] = Snapshot(time.monotonic(), clock.now().date(), _capture(session))


@contextlib.contextmanager
def _profiles(locales: dict | None) -> Iterator[None]:
    saved = people.LOCALES
    if locales is not None:
        people.LOCALES = locales
    try:
        yield
    finally:
        people.LOCALES = saved


def _capture(session: Session) -> dict[str, list[dict]]:
    return {t.name: [dict(r._mapping) for r in session.execute(select(t))] for t in Base.metadata.sorted_tables}


def _restore(session: Session, rows: dict[str, list[dict]]) -> None:
    """On a connection of its own: the session's hooks (the webhook outbox) must not derive rows a second time."""
    session.commit()
    engine = session.get_bind().engine
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if rows.get(table.name):
                conn.execute(table.insert(), rows[table.name])
        if engine.dialect.name == "postgresql":  # ids came with the rows: move each sequence past them
            for table in Base.metadata.sorted_tables:
                pk = list(table.primary_key.columns)
                if len(pk) == 1 and pk[0].autoincrement in (True, "auto") and rows.get(table.name):
                    top = conn.scalar(select(func.max(pk[0])))
                    conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, :c), :v)"),
                                 {"t": table.name, "c": pk[0].name, "v": top})
