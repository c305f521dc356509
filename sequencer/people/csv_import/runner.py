"""Running an import: stream the file, check rows, write them in batches, keep progress, finish once.

Safe to run twice or after a crash: `processed_rows` is committed with each batch (by a conditional
update, so two workers on one import can't both write a batch), and a restart skips that many records.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from sqlalchemy import func, select, update
from sqlalchemy.exc import InterfaceError, OperationalError, StatementError
from sqlalchemy.orm import Session

from sequencer.models import ImportedProspect, ImportStatus, Persona, ProspectImport, Sequence, User
from sequencer.people.csv_import.loading import write_batch
from sequencer.people.csv_import.reading import Record, UnreadableFile, original_line, records
from sequencer.people.csv_import.rows import PersonaMatcher, check_row
from sequencer.platform import clock
from sequencer.platform.db import rowcount
from sequencer.texts import tr

BATCH = 2000
MAX_RUNS = 5  # runs that started and never finished (worker killed, out of memory) before the import is given up
RUNNABLE = (ImportStatus.QUEUED, ImportStatus.WAITING, ImportStatus.RUNNING)
STALL_AFTER = timedelta(minutes=10)  # a batch takes about a second


class LostRace(RuntimeError):
    """Another worker advanced this import first; this one stops without writing."""


def _blank(cells: list[str]) -> bool:
    return not any(c.strip() for c in cells)


@dataclass
class Prepared:
    """One batch read and checked (plain data, so it can be made in another thread)."""

    count: int
    position: int
    good: list[tuple[int, dict]]
    issues: list[dict]


@dataclass
class Checker:
    """Everything row checking needs, copied off the ORM row: the reading thread never touches the session."""

    import_id: int
    header: list[str]
    mapping: dict[int, str]
    delimiter: str
    personas: PersonaMatcher
    owners: list[int | None]

    def prepare(self, batch: list[Record], done: int) -> Prepared:
        good, issues = [], []
        for offset, rec in enumerate(batch):
            if _blank(rec.cells):
                continue
            checked = check_row(rec.cells, self.header, self.mapping, self.personas)
            raw = original_line(rec.cells, self.delimiter)
            if checked.issues:
                issues += [{"import_id": self.import_id, "line": rec.line, "kind": "error", "column": column or None,
                            "reason": reason, "raw": raw} for column, reason in checked.issues]
                continue
            values = checked.values
            values["company"], values["_raw"] = checked.company, raw
            values["owner_id"] = self.owners[(done + offset) % len(self.owners)]
            good.append((rec.line, values))
        return Prepared(len(batch), batch[-1].position, good, issues)


def _write(session: Session, imp: ProspectImport, done: int, prepared: Prepared, now: datetime,
           hook: Callable | None) -> None:
    """Write one checked batch and advance the import; `done` is how far this worker believes it got."""
    counts = write_batch(session, imp.id, prepared.good, prepared.issues,
                         imp.options.get("on_duplicate", "update_empty"), now, rep_id=imp.options.get("rep_id"),
                         activity=imp.options.get("activity"))
    if hook:
        hook("before_commit", imp)
    c = ProspectImport
    won = rowcount(session.execute(update(c).where(c.id == imp.id, c.processed_rows == done).values(
        processed_rows=c.processed_rows + prepared.count, bytes_read=prepared.position,
        created_count=c.created_count + counts["created"], updated_count=c.updated_count + counts["updated"],
        skipped_count=c.skipped_count + counts["skipped"], failed_count=c.failed_count + counts["failed"],
        heartbeat_at=clock.now(),
    ).execution_options(synchronize_session=False)))
    if not won:
        session.rollback()
        raise LostRace(f"import {imp.id} was advanced by another worker")
    session.commit()
    session.refresh(imp)
    if hook:
        hook("committed", imp)


def _owners(session: Session, imp: ProspectImport) -> list[int | None]:
    ids = [int(i) for i in imp.options.get("owner_ids") or []]
    active: list[int | None] = list(session.scalars(select(User.id).where(User.id.in_(ids), User.active.is_(True))
                                                    .order_by(User.id)))
    return active or [imp.user_id]


def _fail(session: Session, imp: ProspectImport, reason: str, now: datetime) -> ProspectImport:
    """End the import for good with `reason`: nothing resumes a failed import."""
    session.rollback()
    imp.status, imp.error, imp.finished_at = ImportStatus.FAILED, reason, now
    session.commit()
    discard_upload(imp)
    return imp


def _why(exc: Exception, imp: ProspectImport) -> str:
    first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
    return tr("the rows after line %(line)s could not be stored: %(problem)s", line=imp.processed_rows + 1, problem=first)


def run_import(session: Session, import_id: int, now: datetime, hook: Callable | None = None) -> ProspectImport | None:
    """Run (or resume) an import; a failure of its own ends it `failed`, a run that keeps dying is given up."""
    imp = session.get(ProspectImport, import_id)
    if imp is None or imp.status not in RUNNABLE:
        return imp
    if imp.status != ImportStatus.RUNNING:
        imp.status, imp.started_at = ImportStatus.RUNNING, imp.started_at or now
    imp.runs += 1
    imp.heartbeat_at = clock.now()
    session.commit()
    if imp.runs > MAX_RUNS:
        return _fail(session, imp, tr("gave up after %(runs)s attempts: the worker stopped each time before the end "
                                      "(%(rows)s rows were imported)", runs=MAX_RUNS, rows=imp.processed_rows), now)
    try:
        return _run(session, imp, now, hook)
    except (OperationalError, InterfaceError):
        raise  # the database is away: a later run resumes where this one stopped
    except (StatementError, ValueError) as exc:  # this file's data: running it again would fail the same way
        return _fail(session, imp, _why(exc, imp), now)


def _run(session: Session, imp: ProspectImport, now: datetime, hook: Callable | None) -> ProspectImport:
    checker = Checker(imp.id, list(imp.header), {int(k): v for k, v in imp.mapping.items() if v}, imp.delimiter,
                      PersonaMatcher.of(session.scalars(select(Persona).order_by(Persona.id)).all()),
                      _owners(session, imp))
    try:
        if imp.path is None:  # only an import that ended has its upload removed
            raise UnreadableFile(tr("the uploaded file is gone"))
        stream = records(imp.path, imp.encoding, imp.delimiter)
        next(stream, None)  # the header
        done = imp.processed_rows
        stream = islice(stream, done, None)

        def read_and_check(start: int) -> Prepared | None:
            batch = list(islice(stream, BATCH))
            return checker.prepare(batch, start) if batch else None

        # The next batch is read and checked while this one is written: Python works while PostgreSQL does.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"import-{imp.id}") as reader:
            upcoming = reader.submit(read_and_check, done)
            while (prepared := upcoming.result()) is not None:
                upcoming = reader.submit(read_and_check, done + prepared.count)
                _write(session, imp, done, prepared, now, hook)
                done += prepared.count
    except (UnreadableFile, OSError) as exc:
        return _fail(session, imp, exc.args[0] if isinstance(exc, UnreadableFile) and exc.args else str(exc), now)
    _enroll(session, imp, now)
    imp.status, imp.finished_at = ImportStatus.DONE, now
    session.commit()
    discard_upload(imp)
    return imp


def _enroll(session: Session, imp: ProspectImport, now: datetime) -> None:
    """Enrol everything the import created or updated, when the user asked for a sequence up front."""
    sequence_id = imp.options.get("sequence_id")
    if not sequence_id:
        return
    sequence = session.get(Sequence, int(sequence_id))
    actor = session.get(User, imp.user_id) if imp.user_id else None
    if sequence is None or actor is None:
        imp.error = tr("the sequence or the importing user is gone; nothing was enrolled")
        return
    imp.enrolled_count = enroll_imported(session, imp, sequence, actor, now, imp.options.get("mailbox_id"))


def enroll_imported(session: Session, imp: ProspectImport, sequence: Sequence, actor: User, now: datetime,
                    mailbox_id: int | None = None) -> int:
    from sequencer.outreach.enrol import enroll

    ids = list(session.scalars(select(ImportedProspect.prospect_id).where(ImportedProspect.import_id == imp.id)
                               .order_by(ImportedProspect.line)))
    result = enroll(session, sequence, ids, actor=actor, now=now, mailbox_id=mailbox_id)
    return len(result.enrolled)


def stalled(session: Session, now: datetime) -> list[int]:
    """Imports no worker has advanced for STALL_AFTER (killed mid-run, or the queue lost the job)."""
    since = now - STALL_AFTER
    return list(session.scalars(select(ProspectImport.id).where(
        ProspectImport.status.in_(RUNNABLE),
        func.coalesce(ProspectImport.heartbeat_at, ProspectImport.created_at) < since)))


def discard_upload(imp: ProspectImport) -> None:
    """The upload holds personal data nobody needs once its rows are in: remove it."""
    if imp.path and os.path.exists(imp.path):
        os.remove(imp.path)
