"""What actually happened, counted in SQL per owner and day: touches, first contacts, meetings, deals won."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.goals.measure import rollup, touches
from sequencer.models import Event, Opportunity, Prospect, Stage

Daily = dict[int | None, dict[date, dict[str, int]]]  # owner -> day -> {key: count}


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _add(out: Daily, rows, key: str) -> None:
    for owner, day, n in rows:
        out[owner].setdefault(_as_date(day), defaultdict(int))[key] += n


def daily(session: Session, since: datetime, until: datetime) -> Daily:
    """{owner: {day: {touches, first_contacts, meetings, deals}}} for [since, until)."""
    out: Daily = defaultdict(dict)
    t, ft = touches(), rollup(since, until)
    tday, fday = func.date(t.c.at), func.date(ft.c.first_at)
    _add(out, session.execute(select(Prospect.owner_id, tday, func.count()).select_from(t)
                              .join(Prospect, Prospect.id == t.c.pid).where(t.c.at >= since, t.c.at < until)
                              .group_by(Prospect.owner_id, tday)), "touches")
    _add(out, session.execute(select(Prospect.owner_id, fday, func.count()).select_from(ft)
                              .join(Prospect, Prospect.id == ft.c.pid)
                              .where(ft.c.first_at >= since, ft.c.first_at < until)
                              .group_by(Prospect.owner_id, fday)), "first_contacts")
    mday = func.date(Event.occurred_at)
    _add(out, session.execute(select(Prospect.owner_id, mday, func.count()).join(Prospect, Prospect.id == Event.prospect_id)
                              .where(Event.kind == "meeting_booked", Event.occurred_at >= since,
                                     Event.occurred_at < until).group_by(Prospect.owner_id, mday)), "meetings")
    wday = func.date(Opportunity.closed_at)
    _add(out, session.execute(select(Opportunity.owner_id, wday, func.count())
                              .where(Opportunity.stage == Stage.CLOSED_WON, Opportunity.closed_at >= since,
                                     Opportunity.closed_at < until).group_by(Opportunity.owner_id, wday)), "deals")
    return out


def total(days: dict[date, dict[str, int]], key: str, start: date, end: date) -> int:
    return sum(v.get(key, 0) for d, v in days.items() if start <= d <= end)
