"""The demo's pipeline: deals with history, and stale-deal reminders made once by the real job."""
from __future__ import annotations

from datetime import datetime, timedelta

from sequencer.models import Opportunity, Task, TaskStatus
from sequencer.platform import clock
from tests.demo.helpers import NOW, rows_of


def test_pipeline_has_history_and_stale_deals(session, seeded):
    opps = rows_of(session, Opportunity)
    assert 20 <= len(opps) <= 30
    assert len({o.stage for o in opps}) == 7
    quarter_start = datetime(2027, 1, 1).date()
    for o in opps:
        assert o.currency == "EUR" and 8000 <= o.amount <= 120000
        assert o.history and o.history[-1].to_stage == o.stage.value and o.history[0].from_stage is None
        assert (o.lost_reason is not None) == (o.stage.value == "closed_lost")
        if not o.stage.is_closed:
            assert quarter_start <= o.close_date < datetime(2027, 4, 1).date()
    assert len({o.company_id for o in opps}) == len(opps)
    closed = [o for o in opps if o.stage.is_closed]
    assert len({(o.closed_at.year, (o.closed_at.month - 1) // 3) for o in closed}) >= 3  # quarters to compare


def test_the_real_job_made_the_stale_reminders_exactly_once(app, session, seeded, redis_conn):
    from rq import SimpleWorker

    from sequencer.deals.board import DealFilters, list_deals
    from sequencer.models.tasks import TaskType
    from workers import jobs, queues
    from workers.context import bind_app

    with clock.frozen(NOW):
        stale = list(list_deals(session, DealFilters(stale=True), NOW))
    reminders = rows_of(session, Task, Task.type == TaskType.STALE_OPPORTUNITY)
    assert len(stale) >= 3
    assert sorted(t.opportunity_id for t in reminders) == sorted(r.opp.id for r in stale)
    pairs = zip(sorted(reminders, key=lambda t: t.opportunity_id), sorted(stale, key=lambda r: r.opp.id), strict=True)
    assert all(t.owner_id == r.opp.owner_id and t.status == TaskStatus.OPEN and t.dedupe_key for t, r in pairs)
    # each reminder speaks its owner's language: the demo's Rūta works in Lithuanian
    said = {"lt": "Jokios veiklos", None: "No activity for"}
    assert all(said[t.owner.locale] in t.instructions for t in reminders)
    assert "lt" in {t.owner.locale for t in reminders}
    bind_app(app)  # the periodic job later that day finds nothing new to remind about
    q = queues.queue(queues.DEFAULT, redis_conn)
    job = q.enqueue(jobs.remind_stale, (NOW + timedelta(hours=2)).isoformat())
    SimpleWorker([q], connection=redis_conn).work(burst=True)
    assert job.return_value()["created"] == 0
    assert len(rows_of(session, Task, Task.type == TaskType.STALE_OPPORTUNITY)) == len(reminders)
