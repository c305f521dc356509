"""The pipeline as people read it: deals with their derived activity and stale flag, filtered and grouped."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from sequencer.deals.activity import Activity, activity_for
from sequencer.deals.stale import Staleness, assess, rules_of
from sequencer.errors import Invalid
from sequencer.models import Opportunity, Stage
from sequencer.texts import tr


@dataclass
class DealFilters:
    stage: Stage | None = None
    owner_id: int | None = None
    status: str = "all"  # open | closed | all
    stale: bool | None = None
    q: str = ""

    @classmethod
    def from_args(cls, args, me: int) -> DealFilters:
        from sequencer.deals.deals import parse_stage

        owner = (args.get("owner") or "").strip()
        stale = (args.get("stale") or "").strip().lower()
        problems = []
        if owner not in ("", "me") and not (owner.isascii() and owner.isdigit()):
            problems.append({"field": "owner", "message": tr("must be `me` or a user id")})
        if args.get("status") not in (None, "", "open", "closed", "all"):
            problems.append({"field": "status", "message": tr("must be one of open, closed, all")})
        if stale not in ("", "true", "1", "yes", "false", "0", "no"):
            problems.append({"field": "stale", "message": tr("must be true or false")})
        if problems:
            raise Invalid.of(problems)
        return cls(stage=parse_stage(args["stage"]) if args.get("stage") else None,
                   owner_id=me if owner == "me" else int(owner) if owner.isdigit() else None,
                   status=args.get("status") if args.get("status") in ("open", "closed") else "all",
                   stale=True if stale in ("true", "1", "yes") else False if stale in ("false", "0", "no") else None,
                   q=(args.get("q") or "").strip())

    def args(self) -> dict:
        out = {"stage": self.stage.value if self.stage else None, "owner": self.owner_id, "q": self.q or None,
               "status": self.status if self.status != "all" else None,
               "stale": None if self.stale is None else "true" if self.stale else "false"}
        return {k: v for k, v in out.items() if v is not None}


@dataclass
class DealRow:
    opp: Opportunity
    activity: Activity
    stale: Staleness | None


def deals_query(filters: DealFilters) -> Select:
    """The deals matching the filters that SQL can decide (all but `stale`), in list order."""
    stmt = select(Opportunity).options(joinedload(Opportunity.owner), joinedload(Opportunity.company),
                                       joinedload(Opportunity.prospect))
    if filters.stage is not None:
        stmt = stmt.where(Opportunity.stage == filters.stage)
    if filters.owner_id is not None:
        stmt = stmt.where(Opportunity.owner_id == filters.owner_id)
    closed = (Stage.CLOSED_WON, Stage.CLOSED_LOST)
    if filters.status == "open" or filters.stale:
        stmt = stmt.where(Opportunity.stage.not_in(closed))
    elif filters.status == "closed":
        stmt = stmt.where(Opportunity.stage.in_(closed))
    if filters.q:
        stmt = stmt.where(func.lower(Opportunity.name).contains(filters.q.lower(), autoescape=True))
    return stmt.order_by(Opportunity.close_date.is_(None), Opportunity.close_date, Opportunity.id)


def deal_rows(session: Session, opps: list[Opportunity], now: datetime) -> list[DealRow]:
    """The deals with their derived activity and stale flag."""
    activity = activity_for(session, opps, now)
    rules = rules_of(session)
    return [DealRow(o, activity[o.id], assess(o, activity[o.id], rules, o.owner.timezone if o.owner else None, now))
            for o in opps]


def list_deals(session: Session, filters: DealFilters, now: datetime) -> list[DealRow]:
    """Deals matching the filters (stale needs the derived activity, so it filters after the SQL)."""
    rows = deal_rows(session, list(session.scalars(deals_query(filters)).unique()), now)
    if filters.stale is not None:
        rows = [r for r in rows if (r.stale is not None) == filters.stale]
    return rows


@dataclass
class Column:
    stage: Stage
    rows: list[DealRow]

    @property
    def totals(self) -> dict[str, Decimal]:
        """Amount per currency (deals in different currencies are never added together)."""
        out: dict[str, Decimal] = {}
        for r in self.rows:
            if r.opp.amount is not None:
                out[r.opp.currency] = out.get(r.opp.currency, Decimal(0)) + r.opp.amount
        return dict(sorted(out.items()))


def board(rows: list[DealRow]) -> list[Column]:
    return [Column(stage, [r for r in rows if r.opp.stage == stage]) for stage in Stage]


def money(amount: Decimal | float | None, currency: str = "EUR") -> str:
    """`€48,000` / `12,500 USD`: whole units, thin grouping; deals are not priced in cents."""
    if amount is None:
        return "—"
    text = f"{Decimal(amount):,.0f}"
    symbol = {"EUR": "€", "USD": "$", "GBP": "£"}.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}"
