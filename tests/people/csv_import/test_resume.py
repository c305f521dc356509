"""An import interrupted by a worker kill restarts where it stopped, without duplicating rows;
and a 50 MB file streams through in bounded memory."""
import os
import signal
import subprocess
import sys
import tracemalloc
from datetime import timedelta
from pathlib import Path

from rq import SimpleWorker
from sqlalchemy import func, select

from sequencer.models import ImportedProspect, ImportRowIssue, ImportStatus, Prospect, ProspectImport
from sequencer.people.csv_import import runner
from sequencer.people.csv_import.service import confirm
from sequencer.platform import clock
from tests.people.csv_import.helpers import csv_bytes, upload
from workers import jobs, queues
from workers.context import bind_app

ROOT = Path(__file__).resolve().parents[3]


def _rows(n: int) -> list[list[str]]:
    rows = [["Email", "First Name", "Country"]]
    for i in range(n):
        rows.append([f"p{i}@x.com" if i % 7 else f"bad {i}", f"P{i}", "LT"])
    return rows


def test_sigkilled_worker_mid_batch_then_rerun_imports_everything_once(app, session, factory, tmp_path,
                                                                       database_url, redis_url, redis_conn):
    user = factory.user("manager")
    imp = upload(session, user, csv_bytes(_rows(23)), tmp_path)
    confirm(session, imp, None, {}, user)
    session.commit()
    worker = subprocess.Popen([sys.executable, "-m", "tests.people.csv_import.killable_worker", database_url,
                               redis_url, str(imp.id)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout.readline().strip() == "stalled"  # batch 2 written but not committed
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    session.expire_all()
    assert session.get(ProspectImport, imp.id).processed_rows == 5
    assert session.scalar(select(func.count(Prospect.id))) == 4  # only batch 1 (one bad row in it)

    assert runner.stalled(session, clock.now()) == []  # the worker spoke a moment ago
    later = clock.now() + runner.STALL_AFTER + timedelta(seconds=1)
    assert runner.stalled(session, later) == [imp.id]  # the periodic resume_imports job re-enqueues it
    bind_app(app)
    queue = queues.queue(queues.DEFAULT, redis_conn)
    with clock.frozen(later):
        queue.enqueue(jobs.resume_imports)
        SimpleWorker([queue], connection=redis_conn).work(burst=True)
    session.expire_all()
    runner.run_import(session, imp.id, clock.now())  # a second run of a finished import does nothing
    session.expire_all()
    done = session.get(ProspectImport, imp.id)
    assert done.status == ImportStatus.DONE, done.error
    assert (done.created_count, done.failed_count) == (19, 4)
    emails = list(session.scalars(select(Prospect.email_normalized)))
    assert sorted(emails) == sorted(f"p{i}@x.com" for i in range(23) if i % 7)
    assert session.scalar(select(func.count()).select_from(ImportRowIssue)) == 4
    assert session.scalar(select(func.count()).select_from(ImportedProspect)) == 19


def test_a_second_worker_on_the_same_import_loses_the_race_without_writing(session, factory, tmp_path, monkeypatch):
    user = factory.user("manager")
    imp = upload(session, user, csv_bytes(_rows(10)), tmp_path)
    confirm(session, imp, None, {}, user)
    session.commit()
    monkeypatch.setattr(runner, "BATCH", 4)

    def other_worker_got_there_first(stage, row):
        if stage == "committed" and row.processed_rows == 4:  # meanwhile another worker wrote batch 2
            session.execute(ProspectImport.__table__.update().values(processed_rows=8))
            session.commit()

    try:
        runner.run_import(session, imp.id, clock.now(), hook=other_worker_got_there_first)
    except runner.LostRace:
        pass
    else:
        raise AssertionError("expected LostRace")
    assert session.scalar(select(func.count(Prospect.id))) == 3  # batch 1 (one bad row): batch 2 not written


def test_fifty_megabyte_file_streams_in_bounded_memory(session, factory, tmp_path, monkeypatch):
    user = factory.user("manager")
    notes = "x" * 5000
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("Email,First Name,Notes\r\n")
        for i in range(10_500):
            fh.write(f"big{i}@x.com,Big {i},{notes}\r\n")
    assert path.stat().st_size > 50 * 1024 * 1024
    with open(path, "rb") as fh:
        from sequencer.people.csv_import.service import start_import
        imp = start_import(session, fh, "big.csv", user, str(tmp_path / "uploads"))
    confirm(session, imp, {"0": "email", "1": "first_name", "2": ""}, {}, user)
    session.commit()
    monkeypatch.setattr(runner, "BATCH", 1000)
    tracemalloc.start()
    try:
        runner.run_import(session, imp.id, clock.now())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert imp.status == ImportStatus.DONE and imp.created_count == 10_500
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB for a 50 MB file"
