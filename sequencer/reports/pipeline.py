"""Pipeline figures for managers and the quarterly business review, from deals and their stage history.

Two queries load every deal and every stage change; the figures are computed in Python (a team's
pipeline is thousands of deals at most). Amounts are summed in the report currency only (the one
most deals use); deals in other currencies are counted but never added to it.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.models import Opportunity, Stage, StageChange
from sequencer.texts import tr

NO_REASON = tr("No reason given")
FUNNEL = [Stage.PROSPECTING, Stage.QUALIFICATION, Stage.NEEDS_ANALYSIS, Stage.PROPOSAL, Stage.NEGOTIATION,
          Stage.CLOSED_WON]


@dataclass
class Deal:
    id: int
    stage: Stage
    amount: Decimal | None
    currency: str
    created_at: datetime
    closed_at: datetime | None
    lost_reason: str | None
    changes: list[tuple[datetime, str | None, str]] = field(default_factory=list)

    @property
    def furthest(self) -> int:
        """Index in FUNNEL of the furthest stage this deal ever reached (-1: none, e.g. lost at once)."""
        reached = [FUNNEL.index(Stage(to)) for _, _, to in self.changes if to in {s.value for s in FUNNEL}]
        if self.stage in FUNNEL:
            reached.append(FUNNEL.index(self.stage))
        return max(reached, default=-1)

    def stage_at(self, moment: datetime) -> str | None:
        """The stage this deal was in at `moment` (None: not created yet)."""
        if self.created_at > moment:
            return None
        current = None
        for at, _, to in self.changes:
            if at <= moment:
                current = to
        return current or self.stage.value


def load_deals(session: Session, owner_id: int | None = None) -> list[Deal]:
    """Every deal with its stage history; one owner's only when `owner_id` is given."""
    stmt = select(Opportunity).order_by(Opportunity.id)
    if owner_id is not None:
        stmt = stmt.where(Opportunity.owner_id == owner_id)
    deals = {o.id: Deal(o.id, o.stage, o.amount, o.currency, o.created_at, o.closed_at, o.lost_reason)
             for o in session.scalars(stmt)}
    for c in session.scalars(select(StageChange).order_by(StageChange.changed_at, StageChange.id)):
        if c.opportunity_id in deals:
            deals[c.opportunity_id].changes.append((c.changed_at, c.from_stage, c.to_stage))
    return list(deals.values())


def report_currency(deals: list[Deal]) -> str:
    counts = Counter(d.currency for d in deals if d.amount is not None)
    return counts.most_common(1)[0][0] if counts else "EUR"


@dataclass
class ConversionRow:
    stage: str
    next_stage: str
    entered: int
    advanced: int

    @property
    def rate(self) -> float | None:
        return self.advanced / self.entered if self.entered else None


def conversion(deals: list[Deal]) -> list[ConversionRow]:
    """Of the deals that reached each stage, how many went on to reach the next (won counts as the last)."""
    furthest = [d.furthest for d in deals]
    return [ConversionRow(FUNNEL[i].value, FUNNEL[i + 1].value, sum(f >= i for f in furthest),
                          sum(f >= i + 1 for f in furthest)) for i in range(len(FUNNEL) - 1)]


def _in(moment: datetime | None, start: datetime, end: datetime | None) -> bool:
    return moment is not None and start <= moment and (end is None or moment < end)


@dataclass
class Summary:
    won: int
    lost: int
    won_amount: Decimal
    avg_deal: Decimal | None
    avg_cycle_days: float | None

    @property
    def win_rate(self) -> float | None:
        return self.won / (self.won + self.lost) if self.won + self.lost else None


def summary(deals: list[Deal], currency: str, start: datetime | None = None, end: datetime | None = None) -> Summary:
    """Win rate, average won deal value and average sales cycle (created → won) of deals closed in the range."""
    closed = [d for d in deals if d.stage.is_closed and d.closed_at is not None
              and (start is None or _in(d.closed_at, start, end))]
    won = [d for d in closed if d.stage == Stage.CLOSED_WON]
    amounts = [d.amount for d in won if d.amount is not None and d.currency == currency]
    cycles = [(d.closed_at - d.created_at).total_seconds() / 86400 for d in won if d.closed_at is not None]
    return Summary(len(won), len(closed) - len(won), sum(amounts, Decimal(0)),
                   (sum(amounts, Decimal(0)) / len(amounts)).quantize(Decimal("1")) if amounts else None,
                   round(sum(cycles) / len(cycles), 1) if cycles else None)


def lost_reasons(deals: list[Deal], currency: str, start: datetime | None = None,
                 end: datetime | None = None) -> list[tuple[str, int, Decimal]]:
    """(reason, deals, amount) of lost deals, most frequent first."""
    out: dict[str, list] = defaultdict(lambda: [0, Decimal(0)])
    for d in deals:
        if d.stage == Stage.CLOSED_LOST and (start is None or _in(d.closed_at, start, end)):
            row = out[d.lost_reason.strip() if d.lost_reason else NO_REASON]
            row[0] += 1
            if d.amount is not None and d.currency == currency:
                row[1] += d.amount
    return sorted(((k, n, a) for k, (n, a) in out.items()), key=lambda r: (-r[1], r[0]))


@dataclass
class Quarter:
    label: str
    start: datetime
    end: datetime
    open_at_start: int = 0
    open_at_start_amount: Decimal = Decimal(0)
    created: int = 0
    created_amount: Decimal = Decimal(0)
    won: int = 0
    won_amount: Decimal = Decimal(0)
    lost: int = 0
    lost_amount: Decimal = Decimal(0)
    moved: int = 0  # open deals that changed stage in the quarter without closing
    open_at_end: int = 0
    open_at_end_amount: Decimal = Decimal(0)


def quarter_bounds(day: date) -> tuple[datetime, datetime, str]:
    first_month = (day.month - 1) // 3 * 3 + 1
    start = datetime(day.year, first_month, 1, tzinfo=UTC)
    end = datetime(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1, tzinfo=UTC)
    return start, end, f"{day.year} Q{(first_month - 1) // 3 + 1}"


def previous_quarters(today: date, count: int) -> list[tuple[datetime, datetime, str]]:
    """The quarter holding `today` and the `count - 1` before it, oldest first."""
    out, day = [], today
    for _ in range(count):
        start, end, label = quarter_bounds(day)
        out.append((start, end, label))
        day = date(start.year - (start.month == 1), (start.month - 4) % 12 + 1, 1)
    return out[::-1]


def quarter_view(deals: list[Deal], currency: str, start: datetime, end: datetime, label: str) -> Quarter:
    """Pipeline at the start, created, won, lost, moved, and pipeline at the end of one quarter."""
    q = Quarter(label, start, end)
    open_values = {s.value for s in Stage if not s.is_closed}

    def amount(d: Deal) -> Decimal:
        return d.amount if d.amount is not None and d.currency == currency else Decimal(0)

    for d in deals:
        if d.stage_at(start) in open_values and d.created_at < start:
            q.open_at_start += 1
            q.open_at_start_amount += amount(d)
        if _in(d.created_at, start, end):
            q.created += 1
            q.created_amount += amount(d)
        if d.stage == Stage.CLOSED_WON and _in(d.closed_at, start, end):
            q.won += 1
            q.won_amount += amount(d)
        if d.stage == Stage.CLOSED_LOST and _in(d.closed_at, start, end):
            q.lost += 1
            q.lost_amount += amount(d)
        if any(_in(at, start, end) and frm is not None and to in open_values for at, frm, to in d.changes):
            q.moved += 1
        if d.stage_at(end - timedelta(microseconds=1)) in open_values:
            q.open_at_end += 1
            q.open_at_end_amount += amount(d)
    return q

