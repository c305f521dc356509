"""Lithuanian alphabetical order for people's names, in Python and in the database's ORDER BY.

Lithuanian sorts Č after C, Š after S and Ž after Z as letters of their own; Ą Ę Ė Į Ų Ū sort with their base
letter and Y with I. PostgreSQL has it as the ICU collation `lt-x-icu` where built with ICU; SQLite gets the
same order from a collation `lt` this module registers on each connection (no ICU there). Elsewhere the
database's own order stands, which only misplaces Č Š Ž: the documented fallback.
"""
from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

SQLITE_COLLATION = "lt"
POSTGRES_COLLATION = "lt-x-icu"
_LETTERS = "aąbcčdeęėfghiįyjklmnoprsštuųūvzž"
# primary weight: the ogonek and dot letters and y weigh as their base letter; č š ž are letters of their own
_PRIMARY = {"ą": "a", "ę": "e", "ė": "e", "į": "i", "y": "i", "ų": "u", "ū": "u"}
_ORDER = {ch: i for i, ch in enumerate(dict.fromkeys(_PRIMARY.get(c, c) for c in _LETTERS))}


def _weights(ch: str) -> tuple[int, int]:
    base = _PRIMARY.get(ch, ch)
    if base in _ORDER:
        return (_ORDER[base] * 4 + 1000, _LETTERS.index(ch))
    folded = unicodedata.normalize("NFD", ch)[0]  # é → e, ö → o: foreign marks weigh as their letter
    if folded in _ORDER and folded != ch:
        return (_ORDER[folded] * 4 + 1000, 99)
    return (ord(ch), 0)


def lt_sort_key(value: str | None) -> tuple:
    """Sort key for `sorted(..., key=lt_sort_key)`: letters first by primary weight, then accents, then case."""
    s = value or ""
    low = s.lower()
    weights = [_weights(ch) for ch in low]
    return (tuple(w[0] for w in weights), tuple(w[1] for w in weights), tuple(ch.isupper() for ch in s))


def lt_compare(a: str | None, b: str | None) -> int:
    """The SQLite collation callable: -1, 0 or 1 as `lt_sort_key` orders them."""
    ka, kb = lt_sort_key(a), lt_sort_key(b)
    return (ka > kb) - (ka < kb)


def register_sqlite(dbapi_conn: Any) -> None:
    dbapi_conn.create_collation(SQLITE_COLLATION, lt_compare)


_PG_HAS_ICU: dict[str, bool] = {}


def collation_for(session: Session, locale: str | None) -> str | None:
    """The collation name that sorts names the way a `locale` reader expects, or None for the database's own."""
    if (locale or "").split("-")[0].lower() != "lt":
        return None
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        return SQLITE_COLLATION
    if bind.dialect.name == "postgresql":
        key = str(bind.engine.url)
        if key not in _PG_HAS_ICU:
            _PG_HAS_ICU[key] = bool(session.scalar(
                text("SELECT 1 FROM pg_collation WHERE collname = :name"), {"name": POSTGRES_COLLATION}))
        return POSTGRES_COLLATION if _PG_HAS_ICU[key] else None
    return None


def by_name(session: Session, column: Any, locale: str | None) -> ColumnElement:
    """`ORDER BY column` in the reader's alphabetical order."""
    name = collation_for(session, locale)
    return column.collate(name) if name else column
