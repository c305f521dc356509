"""Reading a KPI request (from, to, owner, currency as text) the same way for the API and the page."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sequencer.accounts.permissions import is_manager
from sequencer.errors import Forbidden, Invalid
from sequencer.goals.kpis import KpiQuery
from sequencer.goals.review import quarter_of
from sequencer.models import User
from sequencer.platform.bounds import MAX_ID
from sequencer.texts import tr

MAX_RANGE_DAYS = 5 * 366


def _date(args: Mapping[str, str], name: str, default: date) -> date:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid.field(name, tr("a date, YYYY-MM-DD")) from None


def _owner(args: Mapping[str, str], user: User) -> int | None:
    raw = (args.get("owner") or "").strip()
    if not raw:
        return None if is_manager(user) else user.id
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw[:12]) <= MAX_ID:
        raise Invalid.field("owner", tr("a user id between 1 and %(max)s", max=MAX_ID))
    owner = int(raw)
    if not is_manager(user) and owner != user.id:
        raise Forbidden(tr("reps see their own KPIs"))
    return owner


def parse(args: Mapping[str, str], user: User, today: date) -> KpiQuery:
    """The quarter so far by default; a rep's numbers are always their own."""
    start = _date(args, "from", quarter_of(today)[0])
    end = _date(args, "to", today)
    if end < start or (end - start).days > MAX_RANGE_DAYS:
        raise Invalid.field("to", "must be on or after `from`, at most 5 years later")
    currency = (args.get("currency") or "EUR").strip().upper()
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        raise Invalid.field("currency", "a three-letter ISO 4217 code")
    return KpiQuery(start, end, _owner(args, user), currency)
