"""Auto-promotion: only opted-in steps, only with every variant at the minimum sample and P(best) ≥ 95%."""
from __future__ import annotations

from rq import SimpleWorker
from sqlalchemy import select

from sequencer.models import ExperimentDecision
from sequencer.reports.stats import prob_best
from sequencer.sequences.promotion import auto_promote
from tests.reports.helpers import T0, ab_sequence, event, sent_run
from workers import jobs, queues
from workers.context import bind_app
from workers.schedule import SCHEDULE


def _experiment(factory, session, replies_a: int, replies_b: int, n: int = 100, **step1):
    seq = ab_sequence(session, auto_promote=True, **step1)
    a, b = seq.steps[0].variants
    for variant, replies in ((a, replies_a), (b, replies_b)):
        for i in range(n):
            run = sent_run(session, seq, factory.prospect(), 1, variant)
            if i < replies:
                event(session, "replied", run, sentiment="neutral")
    session.commit()
    return seq, a, b


def test_clear_winner_is_promoted_by_the_job_once(app, factory, session, redis_conn):
    seq, a, b = _experiment(factory, session, 4, 16)
    bind_app(app)
    q = queues.queue(queues.DEFAULT, redis_conn)
    first = q.enqueue(jobs.auto_promote)
    second = q.enqueue(jobs.auto_promote)
    SimpleWorker([q], connection=redis_conn).work(burst=True)
    assert first.return_value() == {"promoted": [b.id]} and second.return_value() == {"promoted": []}
    session.expire_all()
    assert (a.active, b.active) == (False, True)
    decision = session.scalars(select(ExperimentDecision)).one()
    assert decision.kind == "auto" and decision.user_id is None and decision.metric == "reply"
    numbers = {v["label"]: v for v in decision.numbers["variants"]}
    assert (numbers["B"]["sent"], numbers["B"]["replied"]) == (100, 16)
    assert numbers["B"]["prob_best"] == round(prob_best([(4, 100), (16, 100)])[1], 4) >= 0.95
    assert any(p.func is jobs.auto_promote for p in SCHEDULE)


def test_no_promotion_below_the_minimum_sample_or_threshold(factory, session):
    _experiment(factory, session, 4, 16, min_sample=150)
    _experiment(factory, session, 10, 13)  # P(best) about 0.74
    assert auto_promote(session, T0) == []


def test_steps_that_did_not_opt_in_are_left_alone(factory, session):
    seq, a, b = _experiment(factory, session, 4, 16)
    seq.steps[0].auto_promote = False
    assert auto_promote(session, T0) == [] and a.active
