"""The comparison counts distinct step runs, splits by persona, scores P(best); the funnel and weeks add up."""
from __future__ import annotations

from datetime import timedelta

import pytest

from sequencer.models import Enrollment, EnrollmentStatus
from sequencer.reports.comparison import compare
from sequencer.reports.funnel import funnel, weekly
from sequencer.reports.stats import prob_best, wilson
from tests.reports.helpers import T0, ab_sequence, event, sent_run


@pytest.fixture
def outcomes(factory, session):
    """A: 10 sent (one sent twice after a soft bounce), 1 reply; B: 10 sent, 4 replies (2 positive), 1 meeting."""
    cfo = factory.persona("cfo", name="CFO")
    seq = ab_sequence(session)
    a, b = seq.steps[0].variants
    runs = {"A": [], "B": []}
    for i in range(20):
        variant = a if i % 2 == 0 else b
        prospect = factory.prospect(persona_id=cfo.id if i < 8 else None)
        runs[variant.label].append(sent_run(session, seq, prospect, 1, variant, T0 + timedelta(days=i // 4)))
    event(session, "sent", runs["A"][0], T0 + timedelta(hours=1))  # soft-bounce retry: same run again
    event(session, "replied", runs["A"][1], sentiment="negative")
    for run, sentiment in zip(runs["B"][:4], ("positive", "positive", "neutral", "referral"), strict=True):
        event(session, "replied", run, T0 + timedelta(days=1), sentiment=sentiment)
    event(session, "replied", runs["B"][0], T0 + timedelta(days=2), sentiment="positive")  # a second reply, same run
    event(session, "meeting_booked", runs["B"][0], T0 + timedelta(days=3))
    event(session, "opened", runs["A"][2])
    enr = session.get(Enrollment, runs["A"][3].enrollment_id)
    enr.status, enr.exit_reason = EnrollmentStatus.EXITED, "unsubscribed"
    session.flush()
    return seq


def test_counts_are_distinct_runs_and_rates_have_wilson_intervals(session, outcomes):
    step = compare(session, outcomes)[0]
    a, b = step.arms
    assert (a.counts.sent, a.counts.replied, a.counts.opened) == (10, 1, 1)
    assert (b.counts.sent, b.counts.replied, b.counts.positive, b.counts.meetings) == (10, 4, 2, 1)
    assert b.counts.interval("replied") == wilson(4, 10)
    assert [a.prob_best, b.prob_best] == pytest.approx(prob_best([(1, 10), (4, 10)]))
    assert step.leader is b and not step.ready  # 10 < the default minimum sample of 100
    assert step.totals.sent == 20 and step.totals.replied == 5


def test_primary_metric_meeting_scores_meetings(session, outcomes):
    outcomes.steps[0].primary_metric = "meeting"
    a, b = compare(session, outcomes)[0].arms
    assert [a.prob_best, b.prob_best] == pytest.approx(prob_best([(0, 10), (1, 10)]))


def test_persona_breakdown_adds_up_to_the_totals(session, outcomes):
    step = compare(session, outcomes)[0]
    assert [p.persona for p in step.personas] == ["CFO", "No persona"]
    for i, arm in enumerate(step.arms):
        assert sum(p.arms[i].counts.sent for p in step.personas) == arm.counts.sent
        assert sum(p.arms[i].counts.replied for p in step.personas) == arm.counts.replied
    cfo = step.personas[0]
    assert [x.counts.sent for x in cfo.arms] == [4, 4]
    assert sum(x.prob_best for x in cfo.arms) == pytest.approx(1)


def test_single_variant_steps_have_no_statistics(session, outcomes):
    assert not compare(session, outcomes)[2].is_experiment


def test_funnel_counts_reached_and_exits_at_the_last_step(session, outcomes):
    steps = funnel(session, outcomes)
    assert steps[0].reached == 20 and steps[0].exited == {"unsubscribed": 1}
    assert steps[1].reached == 0


def test_weekly_buckets_by_monday(session, outcomes):
    weeks = weekly(session, outcomes)
    assert weeks[0].start == T0.date() and weeks[0].sent == 21  # raw sends, the retry included
    assert sum(w.replied for w in weeks) == 6 and sum(w.meetings for w in weeks) == 1
    assert weeks[-1].start - weeks[0].start == timedelta(days=7 * (len(weeks) - 1))


def test_holdout_compares_reply_share_with_and_without_the_step(factory, session):
    from sequencer.reports.comparison import holdouts

    seq = ab_sequence(session, holdout_pct=20)
    a = seq.steps[0].variants[0]
    for i in range(10):
        run = sent_run(session, seq, factory.prospect(), 1, a)
        run.holdout = i >= 6  # 4 held out (their run was skipped, not sent)
        if i in (0, 1, 6):
            event(session, "replied", run)
    session.flush()
    [h] = holdouts(session, seq)
    assert (h.step_position, h.treated, h.treated_replied, h.held_out, h.held_out_replied) == (1, 6, 2, 4, 1)
