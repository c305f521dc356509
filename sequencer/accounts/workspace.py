"""The workspace's single settings row."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.models import Workspace


def get_workspace(session: Session) -> Workspace:
    """The settings row, created with defaults on first use."""
    ws = session.scalars(select(Workspace).order_by(Workspace.id)).first()
    if ws is None:
        ws = Workspace(id=1)
        session.add(ws)
        session.flush()
    return ws
