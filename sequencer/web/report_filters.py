"""The date-range and owner filters every report page takes (`from`, `to` in the viewer's days, `owner`),
with the role rule applied on the server: a rep's reports are always their own."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import request
from flask_login import current_user
from sqlalchemy import select

from sequencer.accounts.permissions import is_manager, report_owner
from sequencer.errors import Invalid
from sequencer.extensions import db
from sequencer.models import User
from sequencer.platform.bounds import MAX_INT
from sequencer.platform.timezones import day_start
from sequencer.reports.scope import Scope
from sequencer.web.pages import viewer_zone

MAX_WEEKS = 53


@dataclass
class ReportFilters:
    start: date | None
    end: date | None  # inclusive, as people pick it
    owner_id: int | None
    scope: Scope

    def args(self) -> dict[str, str]:
        out = {"from": self.start.isoformat() if self.start else "", "to": self.end.isoformat() if self.end else "",
               "owner": str(self.owner_id) if self.owner_id is not None and is_manager(current_user) else ""}
        return {k: v for k, v in out.items() if v}

    def weeks(self, default: int, today: date) -> int:
        """ISO weeks the range spans (the activity report counts whole weeks), `default` when open-ended."""
        if self.start is None:
            return default
        end = self.end or today
        first, last = (d - timedelta(days=d.weekday()) for d in (self.start, end))
        return max(1, min(MAX_WEEKS, (last - first).days // 7 + 1))


def _day(name: str) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise Invalid.field(name, "use a date like 2026-03-02") from None
    if not 1970 <= day.year <= 9000:
        raise Invalid.field(name, "must be a year between 1970 and 9000")
    return day


def _owner() -> int | None:
    raw = (request.args.get("owner") or "").strip()
    if raw in ("", "all"):
        return None
    if raw == "me":
        return current_user.id
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_INT:
        raise Invalid.field("owner", "must be `me` or a user id")
    return int(raw)


def report_filters() -> ReportFilters:
    start, end = _day("from"), _day("to")
    if start and end and end < start:
        raise Invalid.field("to", "must be on or after the start date")
    owner_id = report_owner(current_user, _owner())
    tz = viewer_zone()
    scope = Scope(since=day_start(start, tz) if start else None,
                  until=day_start(end + timedelta(days=1), tz) if end else None, owner_id=owner_id)
    return ReportFilters(start, end, owner_id, scope)


def owner_choices() -> list[User]:
    """People a manager can narrow a report to (reps get none: theirs is fixed)."""
    if not is_manager(current_user):
        return []
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))


def range_end(filters: ReportFilters, now: datetime) -> datetime:
    """The moment a report ending at `to` is computed as of (now when open-ended or `to` is today or later)."""
    if filters.end is None:
        return now
    return min(now, day_start(filters.end + timedelta(days=1), viewer_zone()) - timedelta(seconds=1))
