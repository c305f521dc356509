"""Several workers score the same prospect at once (PostgreSQL): the ledger counts each activity once and the
crossing hands off once."""
from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.extensions import db
from sequencer.models import Activity, Prospect, ScoreEntry, Task
from sequencer.models.tasks import TaskType
from sequencer.scoring import config, engine

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


@pytest.mark.postgres
def test_four_workers_score_one_prospect_once(session, factory):
    p = factory.prospect(owner_id=factory.user("rep").id)
    for kind in ("demo_requested", "webinar_attended", "content_download"):
        session.add(Activity(prospect_id=p.id, kind=kind, occurred_at=NOW, properties={}))
    session.commit()
    barrier, errors, bind = threading.Barrier(4), [], db.engine

    def worker() -> None:
        with Session(bind) as own:
            try:
                barrier.wait(timeout=5)
                engine.score(own, [p.id], config.current(own), NOW)
                own.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    session.expire_all()
    assert session.get(Prospect, p.id).score_engagement == 60
    assert session.scalar(select(func.sum(ScoreEntry.points)).where(ScoreEntry.prospect_id == p.id)) == 60
    assert session.scalar(select(func.count(Task.id)).where(Task.type == TaskType.SALES_READY)) == 1
