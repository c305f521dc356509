"""CSV for spreadsheets, safe to open: text cells that a spreadsheet would run as a formula are defused.

A cell starting with `=`, `+`, `-`, `@` (or a tab / carriage return, which some spreadsheets skip
before parsing) gets a leading apostrophe (OWASP "CSV injection"). Numbers stay numbers, so a
negative amount is still `-500`. UTF-8 with a BOM, so Excel shows "Žukauskas" and "€" correctly.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """The value as a CSV cell: numbers as they are, dates as ISO, text defused if it could be a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_FIRST) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]], bom: bool = True) -> str:
    """A whole CSV document; every header and cell goes through `neutralise`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" if bom else "") + buf.getvalue()
