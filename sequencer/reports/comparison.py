"""The A/B comparison of one sequence: per step and variant (and per persona) counts, rates, intervals, P(best).

One GROUP BY over the sequence's events (step × variant × persona × kind, counting distinct step
runs, so a soft-bounce re-send is one "sent" and two replies in a thread are one "replied"). Totals
are sums of the persona slices: a step run belongs to exactly one prospect.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import Session

from sequencer.models import Event, ExperimentDecision, Persona, Prospect, Sequence, StepRun, Variant
from sequencer.reports.stats import prob_best, ready, wilson
from sequencer.texts import tr

COUNTED = ("sent", "opened", "clicked", "replied", "meeting_booked", "bounced", "unsubscribed", "task_completed")
FIELD = {"sent": "sent", "opened": "opened", "clicked": "clicked", "replied": "replied",
         "meeting_booked": "meetings", "bounced": "bounced", "unsubscribed": "unsubscribed",
         "task_completed": "tasks_done"}
METRICS = {"reply": ("replied", tr("Reply rate")), "meeting": ("meetings", tr("Meeting rate")),
           "positive": ("positive", tr("Positive reply rate"))}
SHOWN = ("opened", "clicked", "replied", "positive", "meetings")  # rates shown per variant; opens flagged


@dataclass
class Counts:
    sent: int = 0
    opened: int = 0
    clicked: int = 0
    replied: int = 0
    positive: int = 0
    meetings: int = 0
    bounced: int = 0
    unsubscribed: int = 0
    tasks_done: int = 0

    def add(self, other: Counts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def rate(self, name: str) -> float | None:
        return getattr(self, name) / self.sent if self.sent else None

    def interval(self, name: str) -> tuple[float, float]:
        return wilson(getattr(self, name), self.sent)


@dataclass
class Arm:
    """One variant (optionally within one persona)."""
    variant_id: int | None
    label: str
    active: bool = True
    promoted: bool = False
    counts: Counts = field(default_factory=Counts)
    prob_best: float | None = None


@dataclass
class Slice:
    persona: str
    arms: list[Arm]
    ready: bool = False


@dataclass
class StepComparison:
    step_id: int
    position: int
    type: str
    primary_metric: str
    min_sample: int
    auto_promote: bool
    holdout_pct: int
    stratify_by_persona: bool
    totals: Counts = field(default_factory=Counts)
    arms: list[Arm] = field(default_factory=list)
    personas: list[Slice] = field(default_factory=list)
    ready: bool = False
    decisions: list[ExperimentDecision] = field(default_factory=list)

    @property
    def metric_field(self) -> str:
        return METRICS[self.primary_metric][0]

    @property
    def is_experiment(self) -> bool:
        return len(self.arms) > 1

    @property
    def leader(self) -> Arm | None:
        scored = [a for a in self.arms if a.prob_best is not None]
        return max(scored, key=lambda a: a.prob_best or 0.0, default=None)  # `or`: never None here


def _score(arms: list[Arm], metric: str) -> None:
    probs = prob_best([(getattr(a.counts, metric), a.counts.sent) for a in arms])
    for arm, p in zip(arms, probs, strict=True):
        arm.prob_best = p


def _fresh_arms(variants: list[Variant]) -> dict[int, Arm]:
    """One persona's arms, counts at zero, in the step's variant order."""
    return {v.id: Arm(v.id, v.label, v.active) for v in variants}


def _rows(session: Session, sequence_id: int):
    sentiment = Event.payload["sentiment"].as_string()
    positive = func.count(distinct(case((and_(Event.kind == "replied", sentiment == "positive"), Event.step_run_id))))
    return session.execute(
        select(Event.step_id, Event.variant_id, Prospect.persona_id, Event.kind,
               func.count(distinct(Event.step_run_id)), positive)
        .join(Prospect, Prospect.id == Event.prospect_id)
        .where(Event.sequence_id == sequence_id, Event.kind.in_(COUNTED), Event.step_id.is_not(None))
        .group_by(Event.step_id, Event.variant_id, Prospect.persona_id, Event.kind)).all()


def compare(session: Session, sequence: Sequence) -> list[StepComparison]:
    """Every step of the sequence with its counts; email steps with two or more variants get the statistics."""
    cells: dict[tuple, Counts] = defaultdict(Counts)  # (step, variant, persona) -> counts
    for step_id, variant_id, persona_id, kind, runs, positive in _rows(session, sequence.id):
        c = cells[(step_id, variant_id, persona_id)]
        setattr(c, FIELD[kind], getattr(c, FIELD[kind]) + runs)
        c.positive += positive
    names: dict[int | None, str] = dict(session.execute(select(Persona.id, Persona.name)).all())
    decisions = defaultdict(list)
    for d in session.scalars(select(ExperimentDecision).where(
            ExperimentDecision.step_id.in_([s.id for s in sequence.steps])).order_by(ExperimentDecision.decided_at)):
        decisions[d.step_id].append(d)
    out = []
    for step in sequence.steps:
        comp = StepComparison(step.id, step.position, step.type.value, step.primary_metric, step.min_sample,
                              step.auto_promote, step.holdout_pct, step.stratify_by_persona,
                              decisions=decisions[step.id])
        mine = {k: v for k, v in cells.items() if k[0] == step.id}
        for counts in mine.values():
            comp.totals.add(counts)
        labels = {v.id: v for v in step.variants}
        if len(labels) > 1:
            comp.arms = [Arm(v.id, v.label, v.active, v.promoted_at is not None) for v in step.variants]
            by_id = {a.variant_id: a for a in comp.arms}
            persona_arms: dict[int | None, dict[int, Arm]] = defaultdict(partial(_fresh_arms, step.variants))
            for (_, variant_id, persona_id), counts in mine.items():
                if variant_id in by_id:
                    by_id[variant_id].counts.add(counts)
                    persona_arms[persona_id][variant_id].counts.add(counts)
            _score(comp.arms, comp.metric_field)
            comp.ready = ready([a.counts.sent for a in comp.arms], step.min_sample)
            for persona_id, arms in sorted(persona_arms.items(), key=lambda kv: names.get(kv[0], "~")):
                ordered = [arms[v.id] for v in step.variants]
                _score(ordered, comp.metric_field)
                comp.personas.append(Slice(names.get(persona_id, tr("No persona")), ordered,
                                           ready([a.counts.sent for a in ordered], step.min_sample)))
        out.append(comp)
    return out


@dataclass
class Holdout:
    step_position: int
    treated: int
    treated_replied: int
    held_out: int
    held_out_replied: int


def holdouts(session: Session, sequence: Sequence) -> list[Holdout]:
    """For steps with a holdout: enrolments that reached the step vs skipped it, and how many of each replied."""
    steps = {s.id: s.position for s in sequence.steps if s.holdout_pct}
    if not steps:
        return []
    replied = select(Event.enrollment_id).where(Event.sequence_id == sequence.id, Event.kind == "replied")
    stmt = (select(StepRun.step_id, StepRun.holdout, func.count(StepRun.id),
                   func.count(case((StepRun.enrollment_id.in_(replied), 1))))
            .where(StepRun.step_id.in_(steps)).group_by(StepRun.step_id, StepRun.holdout))
    acc: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for step_id, held, n, r in session.execute(stmt):
        acc[step_id][2 if held else 0] += n
        acc[step_id][3 if held else 1] += r
    return [Holdout(steps[sid], *acc[sid]) for sid in sorted(acc, key=lambda sid: steps[sid])]
