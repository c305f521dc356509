"""Conversion counts measured in SQL from the workspace's own history, per owner, over a window.

Prospect stages: a first contact is a prospect's first touch ever (an email sent, or a call or LinkedIn
task done) falling in the window; from there the furthest stage it reached (replied, meeting booked,
deal opened). Deal stages: the furthest stage in each deal's history, for deals opened in the window;
a deal still open at a stage is not yet an outcome there.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import and_, case, cast, func, literal, null, select, text, union_all
from sqlalchemy.orm import Session

from sequencer.goals.funnel import Counts
from sequencer.models import Event, Opportunity, Prospect, Stage, StageChange, Task, TaskStatus
from sequencer.models.tasks import TaskType

TOUCH_TASKS = (TaskType.CALL, TaskType.LINKEDIN_CONNECT, TaskType.LINKEDIN_MESSAGE)
DEAL_RANK = {Stage.PROSPECTING.value: 0, Stage.QUALIFICATION.value: 1, Stage.NEEDS_ANALYSIS.value: 2,
             Stage.PROPOSAL.value: 3, Stage.NEGOTIATION.value: 4, Stage.CLOSED_WON.value: 5}
DEAL_KEYS = ("qualification", "needs_analysis", "proposal", "negotiation", "won")  # reaching rank 1..5
PROSPECT_KEYS = ("reply", "meeting", "opportunity")  # reaching level 2..4
FLAGS = ("replied", "meeting_booked")


def touches():
    """Every touch as (prospect_id, at, owner-independent): emails sent and call/LinkedIn tasks done."""
    return union_all(
        select(Event.prospect_id.label("pid"), Event.occurred_at.label("at"))
        .where(Event.kind == "sent", Event.prospect_id.is_not(None)),
        select(Task.prospect_id.label("pid"), Task.completed_at.label("at"))
        .where(Task.status == TaskStatus.DONE, Task.type.in_(TOUCH_TASKS), Task.prospect_id.is_not(None)),
    ).subquery("touches")


def rollup(since: datetime, until: datetime):
    """One row per prospect: its first touch ever, its touches in the window, whether it ever replied, booked a
    meeting or got a deal. Each source is aggregated on its own (events by an index-only scan of
    (kind, occurred_at, prospect_id)), then the small results are unioned and summed once per prospect."""
    no_time = cast(null(), Event.occurred_at.type)

    def in_window(column):
        return func.sum(case((and_(column >= since, column < until), 1), else_=0))

    def ever(kind: str):
        return select(Event.prospect_id, no_time, literal(0), *(literal(int(kind == k)) for k in FLAGS[:2]),
                      literal(0)).where(Event.kind == kind, Event.prospect_id.is_not(None)).distinct()

    rows = union_all(
        select(Event.prospect_id.label("pid"), func.min(Event.occurred_at).label("at"),
               in_window(Event.occurred_at).label("n"), literal(0).label("r"), literal(0).label("m"),
               literal(0).label("o"))
        .where(Event.kind == "sent", Event.prospect_id.is_not(None)).group_by(Event.prospect_id),
        select(Task.prospect_id, func.min(Task.completed_at), in_window(Task.completed_at), literal(0), literal(0),
               literal(0))
        .where(Task.status == TaskStatus.DONE, Task.type.in_(TOUCH_TASKS), Task.prospect_id.is_not(None))
        .group_by(Task.prospect_id),
        ever("replied"), ever("meeting_booked"),
        select(Opportunity.prospect_id, no_time, literal(0), literal(0), literal(0), literal(1))
        .where(Opportunity.prospect_id.is_not(None)).distinct(),
    ).subquery("rows")
    return (select(rows.c.pid, func.min(rows.c.at).label("first_at"), func.sum(rows.c.n).label("touches"),
                   func.max(rows.c.r).label("r"), func.max(rows.c.m).label("m"), func.max(rows.c.o).label("o"))
            .group_by(rows.c.pid).subquery("per_prospect"))


def prospect_levels(session: Session, since: datetime, until: datetime
                    ) -> tuple[dict[int | None, dict[int, int]], dict[int | None, int]]:
    """({owner: {furthest level: prospects first touched in the window}}, {owner: touches in the window}).

    Levels: 1 touched, 2 replied, 3 meeting booked, 4 deal opened (each implies the ones before)."""
    if session.get_bind().dialect.name == "postgresql":
        # the per-prospect aggregate holds ~100 bytes per prospect touched: keep it in memory, not spilled to disk
        session.execute(text("SET LOCAL work_mem = '64MB'"))
    per = rollup(since, until)
    first = and_(per.c.first_at >= since, per.c.first_at < until)
    level = case((~first, 0), (per.c.o == 1, 4), (per.c.m == 1, 3), (per.c.r == 1, 2), else_=1)
    levels: dict[int | None, dict[int, int]] = defaultdict(dict)
    touched: dict[int | None, int] = defaultdict(int)
    for owner, lvl, n, touches in session.execute(
            select(Prospect.owner_id, level, func.count(), func.sum(per.c.touches))
            .join(Prospect, Prospect.id == per.c.pid).where(per.c.touches > 0)
            .group_by(Prospect.owner_id, level)):
        touched[owner] += int(touches or 0)
        if lvl:
            levels[owner][int(lvl)] = n
    return levels, touched


def deal_ranks(session: Session, since: datetime, until: datetime) -> dict[int | None, dict[tuple[int, bool], int]]:
    """{owner: {(furthest rank, lost): deals}} for deals opened in the window."""
    rank = case(*((StageChange.to_stage == stage, r) for stage, r in DEAL_RANK.items()), else_=0)
    furthest = (select(StageChange.opportunity_id.label("oid"), func.max(rank).label("rank"))
                .group_by(StageChange.opportunity_id).subquery("furthest"))
    lost = Opportunity.stage == Stage.CLOSED_LOST
    rows = session.execute(
        select(Opportunity.owner_id, furthest.c.rank, lost, func.count())
        .join(furthest, furthest.c.oid == Opportunity.id)
        .where(Opportunity.created_at >= since, Opportunity.created_at < until)
        .group_by(Opportunity.owner_id, furthest.c.rank, lost))
    out: dict[int | None, dict[tuple[int, bool], int]] = defaultdict(dict)
    for owner, r, is_lost, n in rows:
        out[owner][(int(r), bool(is_lost))] = n
    return out


def _prospect_counts(levels: dict[int, int], touched: int) -> Counts:
    reached = {k: sum(n for lvl, n in levels.items() if lvl >= k) for k in range(1, 5)}
    counts: Counts = {"first_contact": (reached[1], max(touched, reached[1]))}
    for k, key in enumerate(PROSPECT_KEYS, start=2):
        counts[key] = (reached[k], reached[k - 1])
    return counts


def _deal_counts(ranks: dict[tuple[int, bool], int]) -> Counts:
    counts: Counts = {}
    for k, key in enumerate(DEAL_KEYS, start=1):
        reached = sum(n for (r, _), n in ranks.items() if r >= k)
        lost_before = sum(n for (r, lost), n in ranks.items() if r == k - 1 and lost)
        counts[key] = (reached, reached + lost_before)
    return counts


def counts_by_owner(session: Session, since: datetime, until: datetime) -> tuple[Counts, dict[int, Counts]]:
    """(the team's counts, each owner's counts) for every rate key."""
    (levels, touched), ranks = prospect_levels(session, since, until), deal_ranks(session, since, until)
    owners = {o for o in (*levels, *ranks, *touched) if o is not None}
    per = {o: {**_prospect_counts(levels.get(o, {}), touched.get(o, 0)), **_deal_counts(ranks.get(o, {}))}
           for o in owners}
    team_levels: dict[int, int] = defaultdict(int)
    team_ranks: dict[tuple[int, bool], int] = defaultdict(int)
    for lv in levels.values():
        for k, n in lv.items():
            team_levels[k] += n
    for rk in ranks.values():
        for k2, n in rk.items():
            team_ranks[k2] += n
    team = {**_prospect_counts(team_levels, sum(touched.values())), **_deal_counts(team_ranks)}
    return team, per


def won_deals(session: Session, since: datetime, until: datetime, currency: str,
              owner_id: int | None = None) -> tuple[float | None, int, float | None]:
    """(average won amount, deals won, average days from opening to winning) in the window."""
    where = [Opportunity.stage == Stage.CLOSED_WON, Opportunity.closed_at >= since, Opportunity.closed_at < until]
    if owner_id is not None:
        where.append(Opportunity.owner_id == owner_id)
    avg, n = session.execute(select(func.avg(Opportunity.amount), func.count(Opportunity.amount))
                             .where(*where, Opportunity.currency == currency)).one()
    spans = session.execute(select(Opportunity.created_at, Opportunity.closed_at).where(*where)).all()
    days = [(b - a).total_seconds() / 86400 for a, b in spans if a and b]
    return (float(avg) if avg is not None else None), int(n), (sum(days) / len(days) if days else None)

