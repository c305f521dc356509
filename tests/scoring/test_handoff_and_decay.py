"""Hand-off once per crossing, decay in the prospect's time zone, re-score and dry run, own events, jobs."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from sequencer.models import Activity, Enrollment, EnrollmentStatus, Event, ScoreEntry, SequenceStatus, Task
from sequencer.models.tasks import TaskType
from sequencer.scoring import config, decay, ingest, rescore

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def act(pid: int, kind: str, when: datetime, **props) -> dict:
    return {"prospect_id": pid, "kind": kind, "occurred_at": when.isoformat(), "properties": props}


def hot(session, pid: int, when: datetime = NOW) -> None:
    ingest.receive(session, [act(pid, "demo_requested", when), act(pid, "page_view", when, url="https://a.example/pricing"),
                             act(pid, "webinar_attended", when)], when)


def handoffs(session, pid: int) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.prospect_id == pid, Task.type == TaskType.SALES_READY)))


def test_crossing_the_threshold_hands_off_once_with_the_reasons(session, factory):
    owner = factory.user("rep")
    p = factory.prospect(first_name="Šarūnas", last_name="", owner_id=owner.id)
    hot(session, p.id)
    ingest.receive(session, [act(p.id, "content_download", NOW)], NOW)  # still ready: no second hand-off
    session.refresh(p)
    tasks = handoffs(session, p.id)
    assert p.sales_ready and p.sales_ready_at == NOW and p.sales_ready_crossings == 1
    assert [t.title for t in tasks] == ["Šarūnas is sales-ready: demo request + webinar + pricing page"]
    assert tasks[0].owner_id == owner.id and tasks[0].priority == 1
    assert session.scalar(select(func.count(Event.id)).where(Event.kind == "sales_ready")) == 1


def test_dropping_below_and_crossing_again_is_a_new_handoff(session, factory):
    p = factory.prospect(owner_id=factory.user("rep").id)
    hot(session, p.id, NOW - timedelta(days=61))
    assert decay.run(session, NOW)["prospects"] == 1  # 55 - 10 - 10 = 35: below 50
    session.refresh(p)
    assert (p.score_engagement, p.sales_ready) == (35, False)
    hot(session, p.id, NOW)
    session.refresh(p)
    assert p.sales_ready and p.sales_ready_crossings == 2
    assert len(handoffs(session, p.id)) == 2


def test_decay_counts_idle_days_in_the_prospects_time_zone_and_runs_once(session, factory):
    # 29 days 19 hours apart: 30 calendar days in Auckland (UTC+13), 29 in Los Angeles (UTC-8)
    last = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)  # 1 Nov 23:00 in Auckland, 1 Nov 02:00 in LA
    now = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)  # 1 Dec 18:00 in Auckland, 30 Nov 21:00 in LA
    kiwi = factory.prospect(timezone="Pacific/Auckland")
    local = factory.prospect(timezone="America/Los_Angeles")
    for p in (kiwi, local):
        ingest.receive(session, [act(p.id, "demo_requested", last)], last)
    assert decay.run(session, now)["prospects"] == 1
    assert decay.run(session, now)["prospects"] == 0  # the same day again: nothing more
    session.refresh(kiwi)
    session.refresh(local)
    assert (kiwi.score_engagement, local.score_engagement) == (15, 25)
    lines = session.scalars(select(ScoreEntry.rule_key).where(ScoreEntry.kind == "decay")).all()
    assert lines == ["decay_30d"]


def test_decay_never_goes_below_zero_and_half_life(session, factory):
    p = factory.prospect()
    ingest.receive(session, [act(p.id, "page_view", NOW - timedelta(days=100), url="https://a.example/pricing")], NOW)
    decay.run(session, NOW)
    session.refresh(p)
    assert p.score_engagement == 0
    data = config.current(session).as_dict()
    data["decay"] = {"half_life_days": 10}
    config.save(session, data, factory.user("manager"))
    q = factory.prospect()
    ingest.receive(session, [act(q.id, "demo_requested", NOW - timedelta(days=20))], NOW)
    decay.run(session, NOW)
    session.refresh(q)
    assert q.score_engagement == 6  # 25 → 12 → 6


def test_rule_change_dry_run_then_exact_idempotent_rescore(session, factory):
    manager = factory.user("manager")
    a, b = factory.prospect(), factory.prospect()
    hot(session, a.id)  # 55: ready
    ingest.receive(session, [act(b.id, "demo_requested", NOW), act(b.id, "content_download", NOW)], NOW)  # 40
    data = config.current(session).as_dict()
    data["rules"][3]["points"] = 35  # demo request worth more: b 50, a 65
    data["rules"][1]["points"] = 0  # content downloads no longer count: b 35
    data["threshold"] = 60
    proposed = config.preview(session, data)
    assert rescore.dry_run(session, proposed) == {"would_become_sales_ready": 0, "would_stop_being_sales_ready": 0}
    data["threshold"] = 66
    assert rescore.dry_run(session, config.preview(session, data)) == {
        "would_become_sales_ready": 0, "would_stop_being_sales_ready": 1}
    lines_before = session.scalar(select(func.count(ScoreEntry.id)))
    rules = config.save(session, data, manager)
    rescore.rescore_all(session, NOW, rules)
    session.refresh(a)
    session.refresh(b)
    assert (a.score_engagement, a.sales_ready, b.score_engagement) == (65, False, 35)
    lines_after = session.scalar(select(func.count(ScoreEntry.id)))
    assert lines_after > lines_before
    rescore.rescore_all(session, NOW, rules)
    assert session.scalar(select(func.count(ScoreEntry.id))) == lines_after  # idempotent


def test_own_events_become_activities_and_the_pending_job_scores_them(session, factory):
    p = factory.prospect(owner_id=factory.user("rep").id)
    data = config.current(session).as_dict()
    data["rules"].append({"key": "replied", "kind": "email_replied", "match": {}, "points": 30, "label": "replied"})
    config.save(session, data, factory.user("manager"))
    session.add(Event(kind="replied", occurred_at=NOW, prospect_id=p.id))
    session.add(Event(kind="task_completed", occurred_at=NOW, prospect_id=p.id,
                      payload={"type": "call", "outcome": "connected"}))
    session.add(Event(kind="task_completed", occurred_at=NOW, prospect_id=p.id,
                      payload={"type": "call", "outcome": "no_answer"}))
    session.flush()
    kinds = sorted(session.scalars(select(Activity.kind).where(Activity.prospect_id == p.id)))
    assert kinds == ["call_connected", "email_replied"]
    rescore.pending(session, NOW)
    session.refresh(p)
    assert p.score_engagement == 30 and p.last_activity_at == NOW


def test_handoff_moves_sequences(session, factory):
    owner = factory.user("rep")
    factory.mailbox(owner_id=owner.id)
    nurture, sales = factory.sequence(), factory.sequence(status=SequenceStatus.ACTIVE)
    p = factory.prospect(owner_id=owner.id)
    enrollment = factory.enrollment(prospect=p, sequence=nurture)
    data = config.current(session).as_dict()
    data["handoff"] = {"sequence_id": sales.id, "exit_sequence_id": nurture.id}
    config.save(session, data, factory.user("manager"))
    hot(session, p.id)
    session.refresh(enrollment)
    assert enrollment.status == EnrollmentStatus.EXITED and enrollment.exit_reason == "sales_ready"
    live = session.scalars(select(Enrollment.sequence_id).where(Enrollment.prospect_id == p.id,
                                                                Enrollment.status == EnrollmentStatus.ACTIVE)).all()
    assert live == [sales.id]


def test_committing_an_own_event_asks_the_worker_to_score_it_now(session, factory, redis_conn):
    from sequencer.platform import queues

    p = factory.prospect()
    session.commit()
    default = queues.queue(queues.DEFAULT, redis_conn)
    assert "score-pending-now" not in default.job_ids
    session.add(Event(kind="clicked", occurred_at=NOW, prospect_id=p.id, payload={"url": "https://a.example/"}))
    session.commit()
    assert "score-pending-now" in default.job_ids


def test_a_burst_of_commits_asks_once_and_a_commit_after_the_job_started_asks_again(app, session, factory,
                                                                                    redis_conn):
    """Issue 22: one Redis SET per commit instead of an enqueue (1.6 ms of a task completion); nothing is missed."""
    from rq import SimpleWorker

    from sequencer.models import Activity
    from sequencer.platform import queues
    from sequencer.scoring import soon
    from workers.context import bind_app

    p = factory.prospect()
    session.commit()
    default = queues.queue(queues.DEFAULT, redis_conn)
    for url in ("https://a.example/1", "https://a.example/2", "https://a.example/3"):
        session.add(Event(kind="clicked", occurred_at=NOW, prospect_id=p.id, payload={"url": url}))
        session.commit()
    assert default.count == 1 and redis_conn.exists(soon.KICK)  # three commits, one job waiting
    bind_app(app)
    SimpleWorker([default], connection=redis_conn).work(burst=True)
    assert not redis_conn.exists(soon.KICK)  # the job cleared the flag before it read
    session.expire_all()
    assert session.scalars(select(Activity).where(Activity.scored_at.is_(None))).all() == []  # all three scored
    session.add(Event(kind="clicked", occurred_at=NOW, prospect_id=p.id, payload={"url": "https://a.example/4"}))
    session.commit()
    assert default.count == 1  # woken again


def test_a_score_change_is_not_an_edit_of_the_prospect(session, factory):
    p = factory.prospect(updated_at=NOW - timedelta(days=5), owner_id=factory.user("rep").id)
    before = p.updated_at
    hot(session, p.id)
    decay.run(session, NOW + timedelta(days=70))
    session.refresh(p)
    assert p.score_engagement < 55 and p.sales_ready_crossings == 1 and p.updated_at == before
