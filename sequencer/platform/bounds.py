"""Input limits every door shares: ids, plain integers, moments and text the databases can store.

PostgreSQL refuses NUL in text and a lone surrogate cannot be encoded at all; INTEGER columns hold
±2^31-1; and a date in year 1 or 9999 overflows the first `timedelta` added to it. Checking these
once at the edge turns what used to be 500s into a 404 or a 422 naming the field.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sequencer.texts import tr

MAX_ID = 2**31 - 1
MAX_INT = 2**31 - 1
MAX_PAGE = 1_000_000_000  # keeps LIMIT/OFFSET inside a 64-bit integer
EARLIEST = date(1970, 1, 1)
LATEST = date(2100, 12, 31)
WINDOW = tr("must be between %(low)s and %(high)s", low=EARLIEST.isoformat(), high=LATEST.isoformat())
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why `value` can't be stored as text (NUL, a lone surrogate), or None."""
    found = _BAD_TEXT.search(value)
    if found is None:
        return None
    return tr("contains a NUL character") if found.group() == "\x00" else tr("contains an invalid character (lone surrogate)")


def id_problem(value: str) -> str | None:
    """Why a query value naming an id (`owner=…`, `…_id=…`) can't be one: digits past 2^31-1 (others are the handler's)."""
    numbers = [_as_int(part) for part in value.split(",")]
    if any(n is not None and abs(n) > MAX_ID for n in numbers):  # signs, spaces and `_` too: what int() reads
        return tr("must be an id between 1 and %(max)s", max=MAX_ID)
    return None


def _as_int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:  # not a number (the handler's to judge), or past Python's digit limit
        return None


def storable(value: str) -> str:
    """`value` without the control characters and lone surrogates databases refuse (tab and newlines stay)."""
    return _UNSTORABLE.sub("", value)


def in_window(value: date | datetime) -> bool:
    day = value.astimezone(UTC).date() if isinstance(value, datetime) and value.tzinfo else value
    if isinstance(day, datetime):
        day = day.date()
    return EARLIEST <= day <= LATEST


def walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every scalar of a JSON document (keys too) with its dotted path."""
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, key
            yield from walk(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, f"{path}.{index}" if path else str(index))
    else:
        yield path, value


def json_problem(document: Any, unbounded: tuple[str, ...] = ("amount",)) -> tuple[str, str] | None:
    """(field, message) for the first value of a JSON body nothing downstream could store, or None.

    Integers past ±2^31-1 (ids and counts all live in INTEGER columns) are refused except in the
    `unbounded` fields (money is NUMERIC).
    """
    for path, value in walk(document):
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                return path, problem
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT \
                and not path.rsplit(".", 1)[-1].endswith(unbounded):
            return path, tr("must be between %(low)s and %(high)s", low=-MAX_INT, high=MAX_INT)
    return None
