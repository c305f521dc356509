"""Assignment: weighted and stable, balanced per persona on request, paused variants skipped, holdouts skip the step."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select

from sequencer.models import Event, StepRun, StepRunState
from sequencer.outreach.dispatch import run_pass
from sequencer.outreach.enrol import enroll
from sequencer.platform import clock
from sequencer.sequences.experiments import assign_variant, is_holdout
from tests.reports.helpers import ab_sequence

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday


def _setup(factory, session, n: int, personas=(None,), **step1):
    rep = factory.user("rep")
    box = factory.mailbox(owner_id=rep.id)
    seq = ab_sequence(session, owner_id=rep.id, **step1)
    seq.schedule = {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "window_start": "00:00",
                    "window_end": "23:59", "holidays": None, "fallback_timezone": "UTC"}
    prospects = [factory.prospect(persona_id=personas[i % len(personas)], owner_id=rep.id, timezone="UTC")
                 for i in range(n)]
    session.commit()
    return seq, prospects, rep, box


def test_assignment_is_stable_and_follows_weights(factory, session):
    seq = ab_sequence(session)
    step = seq.steps[0]
    step.variants[0].weight, step.variants[1].weight = 80, 20
    picks = [assign_variant(i, step.id, step.variants).label for i in range(1, 4001)]
    assert picks == [assign_variant(i, step.id, step.variants).label for i in range(1, 4001)]
    share = Counter(picks)["A"] / len(picks)
    assert 0.77 < share < 0.83


def test_paused_variant_is_not_assigned_and_runs_keep_theirs(factory, session):
    seq, prospects, rep, box = _setup(factory, session, 40)
    with clock.frozen(NOW):
        enroll(session, seq, [p.id for p in prospects[:20]], actor=rep, now=NOW, mailbox_id=box.id)
    before = {r.id: r.variant_id for r in session.scalars(select(StepRun))}
    a, b = seq.steps[0].variants
    b.active = False
    with clock.frozen(NOW):
        enroll(session, seq, [p.id for p in prospects[20:]], actor=rep, now=NOW, mailbox_id=box.id)
    runs = session.scalars(select(StepRun)).all()
    assert {r.id: r.variant_id for r in runs if r.id in before} == before
    assert {r.variant_id for r in runs if r.id not in before} == {a.id}
    assert b.id in before.values()


def test_stratified_split_is_balanced_within_each_persona(factory, session):
    cfo, cto = factory.persona("cfo"), factory.persona("cto")
    seq, prospects, rep, box = _setup(factory, session, 30, personas=(cfo.id, cfo.id, cto.id),
                                      stratify_by_persona=True)
    with clock.frozen(NOW):
        enroll(session, seq, [p.id for p in prospects[:13]], actor=rep, now=NOW, mailbox_id=box.id)
        enroll(session, seq, [p.id for p in prospects[13:]], actor=rep, now=NOW, mailbox_id=box.id)
    persona_of = {p.id: p.persona_id for p in prospects}
    counts = Counter()
    for run in session.scalars(select(StepRun)):
        counts[(persona_of[run.enrollment.prospect_id], run.variant.label)] += 1
    assert counts[(cfo.id, "A")] == counts[(cfo.id, "B")] == 10
    assert counts[(cto.id, "A")] == counts[(cto.id, "B")] == 5


def test_holdout_share_skips_the_step_and_moves_on(factory, session):
    seq, prospects, rep, box = _setup(factory, session, 200, holdout_pct=20)
    with clock.frozen(NOW):
        enroll(session, seq, [p.id for p in prospects], actor=rep, now=NOW, mailbox_id=box.id)
    session.commit()
    held = session.scalars(select(StepRun).where(StepRun.holdout.is_(True))).all()
    assert 25 <= len(held) <= 55
    assert all(is_holdout(r.enrollment_id, seq.steps[0]) for r in held)
    result = run_pass(session, NOW)
    session.commit()
    assert result.held_out == len(held)
    claimed = {i for c in result.claims for i in c.run_ids}
    assert not claimed & {r.id for r in held}
    for run in held:
        session.refresh(run)
        assert run.state == StepRunState.SKIPPED
        assert [r.position for r in run.enrollment.step_runs] == [1, 2]
    assert session.query(Event).filter_by(kind="held_out").count() == len(held)
