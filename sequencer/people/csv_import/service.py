"""Starting an import from an upload, confirming its mapping and options, and the error report."""
from __future__ import annotations

import os
import uuid
from itertools import islice
from typing import IO, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import is_rep
from sequencer.errors import Conflict, Forbidden, Invalid
from sequencer.models import ImportRowIssue, ImportStatus, Mailbox, ProspectImport, Sequence, SequenceStatus, User
from sequencer.outreach.enrol import check_sending_mailbox
from sequencer.people.csv_import import mapping as mappings
from sequencer.people.csv_import.reading import UnreadableFile, cells_of, records, sniff
from sequencer.platform import clock
from sequencer.platform.csv_export import to_csv
from sequencer.platform.db import Base
from sequencer.scoring.ingest import parse_time
from sequencer.scoring.kinds import API_KINDS
from sequencer.texts import tr

ON_DUPLICATE = ("update_empty", "overwrite", "skip")
INLINE_BYTES = 256 * 1024   # smaller files import inside the request; larger ones go to a worker
_Row = TypeVar("_Row", bound=Base)


def upload_dir(instance_path: str) -> str:
    path = os.path.join(instance_path, "imports")
    os.makedirs(path, exist_ok=True)
    return path


def start_import(session: Session, stream: IO[bytes], filename: str, actor: User, directory: str) -> ProspectImport:
    """Store the upload, sniff encoding/delimiter/header and propose a mapping (remembered or guessed)."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{uuid.uuid4().hex}.csv")
    with open(path, "wb") as out:
        while chunk := stream.read(1024 * 1024):
            out.write(chunk)
    try:
        encoding, delimiter, header = sniff(path)
    except UnreadableFile as exc:
        os.remove(path)
        raise Invalid.field("file", exc.args[0] if exc.args else str(exc)) from None
    proposal = mappings.remembered(session, header) or mappings.guess(header, _samples(path, encoding, delimiter))
    imp = ProspectImport(user_id=actor.id, filename=(filename or "upload.csv")[:255], path=path,
                         size=os.path.getsize(path), encoding=encoding, delimiter=delimiter, header=header,
                         mapping=proposal, options={"on_duplicate": "update_empty"}, status=ImportStatus.MAPPING,
                         created_at=clock.now())
    session.add(imp)
    session.flush()
    return imp


def _samples(path: str, encoding: str, delimiter: str, rows: int = 50) -> list[list[str]]:
    """The first data rows, to recognise columns by their values."""
    try:
        return [record.cells for record in islice(records(path, encoding, delimiter), 1, rows + 1)]
    except UnreadableFile:
        return []


def check_options(session: Session, data: dict, actor: User) -> dict:
    """The import options, validated; a rep's imports are always their own."""
    out: dict = {"on_duplicate": data.get("on_duplicate") or "update_empty"}
    if out["on_duplicate"] not in ON_DUPLICATE:
        raise Invalid.field("on_duplicate", tr("must be one of %(values)s", values=", ".join(ON_DUPLICATE)))
    owner_ids = data.get("owner_ids") or []
    if isinstance(owner_ids, (int, str)):
        owner_ids = [owner_ids]
    try:
        owner_ids = [int(i) for i in owner_ids if str(i).strip()]
    except (TypeError, ValueError):
        raise Invalid.field("owner_ids", tr("must be user ids")) from None
    if is_rep(actor) and set(owner_ids) - {actor.id}:
        raise Forbidden(tr("reps can only import prospects for themselves"))
    found = set(session.scalars(select(User.id).where(User.id.in_(owner_ids), User.active.is_(True))))
    if set(owner_ids) - found:
        raise Invalid.field("owner_ids", tr("no such active user"))
    out["owner_ids"] = owner_ids or [actor.id]
    if is_rep(actor):
        out["rep_id"] = actor.id
    sequence = _chosen(session, data, "sequence_id", Sequence)
    if sequence is not None:
        if sequence.status != SequenceStatus.ACTIVE:
            raise Invalid.field("sequence_id", tr("the sequence is not active"))
        out["sequence_id"] = sequence.id
    mailbox = _chosen(session, data, "mailbox_id", Mailbox)
    if mailbox is not None:  # the enrolment rule, checked before anything is imported
        out["mailbox_id"] = check_sending_mailbox(session, mailbox.id, actor).id
    activity = _activity(data)
    if activity:
        out["activity"] = activity
    return out


def _activity(data: dict) -> dict | None:
    """"Record as activity" (e.g. webinar attendees): a kind, when it happened (default now) and a title."""
    kind = data.get("activity_kind") or None
    if kind is None:
        return None
    if kind not in API_KINDS:
        raise Invalid.field("activity_kind", tr("must be one of %(values)s", values=", ".join(API_KINDS)))
    now = clock.now()
    raw = str(data.get("activity_at") or "").strip()
    at, problem = parse_time(raw + ("T00:00:00+00:00" if len(raw) == 10 else ""), now) if raw else (now, None)
    if problem or at is None:
        raise Invalid.field("activity_at", problem or tr("not a date"))
    return {"kind": kind, "at": at.isoformat(), "title": str(data.get("activity_title") or "")[:200]}


def _chosen(session: Session, data: dict, key: str, model: type[_Row]) -> _Row | None:
    """The row `data[key]` names, None when it names none; Invalid when there is no such row."""
    value = data.get(key)
    if value in (None, ""):
        return None
    row = session.get(model, int(value)) if str(value).isdigit() else None
    if row is None:
        raise Invalid.field(key, tr("no such sequence") if key == "sequence_id" else
                            tr("no such mailbox") if key == "mailbox_id" else f"no such {key.removesuffix('_id')}")
    return row


def confirm(session: Session, imp: ProspectImport, mapping: dict | None, options: dict, actor: User) -> ProspectImport:
    """Fix the mapping and options, remember the mapping for this header, and queue the import."""
    if imp.status != ImportStatus.MAPPING:
        raise Conflict(tr("the import is already %(status)s", status=imp.status.value))
    mapping = {str(k): (v or "") for k, v in (mapping if mapping is not None else imp.mapping).items()}
    mapping = {**{str(i): "" for i in range(len(imp.header))}, **mapping}
    problems = mappings.check(imp.header, mapping)
    if any(p["message"] == mappings.NO_EMAIL for p in problems) and imp.path:
        found = mappings.email_columns(_samples(imp.path, imp.encoding, imp.delimiter), len(imp.header))
        problems = [{"field": f"mapping.{found[0]}", "message": tr("map one column to Email: column %(column)s holds "
                     "email addresses", column=repr(imp.header[found[0]]))} if p["message"] == mappings.NO_EMAIL and found
                    else p for p in problems]
    if problems:
        raise Invalid("; ".join(p["message"] for p in problems[:3]), problems)
    imp.options = check_options(session, options, actor)
    imp.mapping = mapping
    mappings.remember(session, imp.header, mapping)
    imp.status = ImportStatus.QUEUED
    session.flush()
    return imp


def runs_inline(imp: ProspectImport) -> bool:
    return imp.size <= INLINE_BYTES


def issues_page(session: Session, imp: ProspectImport, limit: int = 200) -> list[ImportRowIssue]:
    return list(session.scalars(select(ImportRowIssue).where(ImportRowIssue.import_id == imp.id)
                                .order_by(ImportRowIssue.line, ImportRowIssue.id).limit(limit)))


def error_report(session: Session, imp: ProspectImport) -> str:
    """Every row not imported: the original cells plus line, kind and reasons (formula-safe CSV)."""
    rows = [[*imp.header, "line", "problem", "column", "reason"]]
    current: tuple | None = None
    for issue in session.scalars(select(ImportRowIssue).where(ImportRowIssue.import_id == imp.id)
                                 .order_by(ImportRowIssue.line, ImportRowIssue.id)).yield_per(1000):
        if current and current[0] == issue.line:
            current[2].append(issue.column or "")
            current[3].append(issue.reason)
            continue
        if current:
            rows.append(_report_row(imp, current))
        current = (issue.line, issue, [issue.column or ""], [issue.reason])
    if current:
        rows.append(_report_row(imp, current))
    return to_csv(rows[0], rows[1:], bom=False)


def _report_row(imp: ProspectImport, current: tuple) -> list[str]:
    line, issue, columns, reasons = current
    cells = cells_of(issue.raw, imp.delimiter)
    cells = (cells + [""] * len(imp.header))[:max(len(imp.header), len(cells))]
    return [*cells, line, issue.kind, "; ".join(c for c in columns if c), "; ".join(reasons)]
