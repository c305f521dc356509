"""The monthly acquisition costs managers enter for CAC: one amount per month and currency, replaced on re-entry."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import require_manage_goals
from sequencer.errors import Invalid
from sequencer.models import AcquisitionCost, User
from sequencer.texts import tr

MAX_COST = Decimal("999999999999")


def set_cost(session: Session, actor: User, month: str, amount: str, currency: str = "EUR", note: str = "") -> AcquisitionCost:
    """Store (or replace) the month's cost; `month` is YYYY-MM."""
    require_manage_goals(actor)
    try:
        first = date.fromisoformat(f"{month.strip()}-01")
    except ValueError:
        raise Invalid.field("month", tr("a month, YYYY-MM")) from None
    try:
        value = Decimal(amount.strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= MAX_COST:
        raise Invalid.field("amount", tr("a number from 0 to %(max)s", max=MAX_COST))
    currency = currency.strip().upper()
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        raise Invalid.field("currency", tr("a three-letter ISO 4217 code"))
    row = session.scalars(select(AcquisitionCost).where(AcquisitionCost.month == first,
                                                        AcquisitionCost.currency == currency)).first()
    if row is None:
        row = AcquisitionCost(month=first, currency=currency, amount=value, note=note[:200])
        session.add(row)
    row.amount, row.note = value.quantize(Decimal("0.01")), note[:200]
    session.flush()
    return row


def recent_costs(session: Session, limit: int = 12) -> list[AcquisitionCost]:
    return list(session.scalars(select(AcquisitionCost).order_by(AcquisitionCost.month.desc()).limit(limit)))
