"""The demo workspace is scored: fit for everyone, a few sales-ready with their hand-off tasks, decay shown."""
from __future__ import annotations

from sqlalchemy import func, select

from sequencer.models import Activity, Prospect, ScoreEntry, Task
from sequencer.models.tasks import TaskType


def test_demo_has_scored_and_sales_ready_prospects_with_handoffs(session, seeded):
    ready = session.scalars(select(Prospect).where(Prospect.sales_ready.is_(True))).all()
    assert 2 <= len(ready) <= 6
    handoffs = session.scalars(select(Task).where(Task.type == TaskType.SALES_READY)).all()
    assert {t.prospect_id for t in handoffs} == {p.id for p in ready}
    # each hand-off speaks its owner's language: the demo's Rūta works in Lithuanian
    said = {"lt": "metas susisiekti: demonstracijos užklausa", None: "is sales-ready: demo request"}
    assert all(said[t.owner.locale] in t.title for t in handoffs)
    assert session.scalar(select(func.count(Prospect.id)).where(Prospect.score_engagement > 0)) >= 15
    assert session.scalar(select(func.count(Prospect.id)).where(Prospect.score_fit > 0)) >= 50
    assert session.scalar(select(func.count(ScoreEntry.id)).where(ScoreEntry.kind == "decay")) >= 4
    assert session.scalar(select(func.count(Activity.id)).where(Activity.prospect_id.is_(None))) == 3  # anonymous
    for p in session.scalars(select(Prospect)):
        total = session.scalar(select(func.coalesce(func.sum(ScoreEntry.points), 0))
                               .where(ScoreEntry.prospect_id == p.id))
        assert p.score_fit + p.score_engagement == total
