"""Write CSV fixtures byte for byte and push them through the import service and runner."""
from __future__ import annotations

import io

from sqlalchemy import select

from sequencer.models import Prospect
from sequencer.people.csv_import.runner import run_import
from sequencer.people.csv_import.service import confirm, start_import
from sequencer.platform import clock

NAMES_LT = [["Vardas", "Pavardė", "El. paštas", "Pareigos", "Įmonė", "Šalis", "Miestas"],
            ["Šarūnas", "Žemaitė", "sarunas@ąžuolas.lt", "Finansų direktorius", "Ąžuolas UAB", "Lietuva", "Vilnius"],
            ["Jürgen", "Müller", "JM@Firma.DE", "CFO", "Müller GmbH", "Vokietija", "Berlin"]]


def csv_bytes(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    def cell(value: str) -> str:
        if any(ch in value for ch in (delimiter, '"', "\n")):
            return '"' + value.replace('"', '""') + '"'
        return value
    return "\r\n".join(delimiter.join(cell(c) for c in row) for row in rows).encode(encoding) + b"\r\n"


def upload(session, user, data: bytes, tmp_path, filename: str = "list.csv"):
    imp = start_import(session, io.BytesIO(data), filename, user, str(tmp_path))
    session.commit()
    return imp


def import_all(session, user, data: bytes, tmp_path, mapping=None, hook=None, **options):
    imp = upload(session, user, data, tmp_path)
    confirm(session, imp, mapping, options, user)
    session.commit()
    return run_import(session, imp.id, clock.now(), hook=hook)


def by_email(session) -> dict[str, Prospect]:
    return {p.email_normalized: p for p in session.scalars(select(Prospect))}
