"""CSV we hand out must not run as a spreadsheet formula: risky cells get a leading apostrophe."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

RISKY = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """`=HYPERLINK(...)` → `'=HYPERLINK(...)` (OWASP's advice: Excel and LibreOffice then show it as text)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(RISKY) else text


def write_csv(rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()
