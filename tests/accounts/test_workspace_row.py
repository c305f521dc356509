"""The workspace row is created on first use; two processes doing that at once both get it (issue 22: the losing
send batch failed with a unique violation, and its 200 emails waited out their two-minute lease)."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.accounts.workspace import get_workspace
from sequencer.extensions import db
from sequencer.models import Workspace


@pytest.mark.postgres
def test_the_process_that_loses_the_race_to_create_the_row_reads_the_winners(app, session):
    with app.app_context():
        engine = db.engine
    first, second = Session(engine), Session(engine)
    try:
        mine = get_workspace(first)  # inserted, not yet committed: the second insert waits for this one
        got: list = []
        racer = threading.Thread(target=lambda: got.append(get_workspace(second).id))
        racer.start()
        racer.join(0.5)
        assert racer.is_alive()  # blocked on the first one's row
        first.commit()
        racer.join(10)
        assert got == [mine.id]
        second.commit()  # its transaction survived the failed insert
        assert first.scalar(select(func.count()).select_from(Workspace)) == 1
    finally:
        first.close()
        second.close()


def test_the_row_is_created_once_and_then_read(session):
    assert get_workspace(session) is get_workspace(session)
    session.commit()
    assert session.scalar(select(func.count()).select_from(Workspace)) == 1
