"""Who can take a lead right now: an active user, not on time off today (their own calendar day), under the
form's daily cap. Routing rules and the round-robin both skip the others."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.models import FormSubmission, TimeOff, User
from sequencer.platform.timezones import day_bounds, local_date


def away(session: Session, user: User, now: datetime) -> bool:
    today = local_date(now, user.timezone)
    if user.out_of_office_from and user.out_of_office_from <= today <= (user.out_of_office_until or today):
        return True
    return session.scalar(select(TimeOff.id).where(TimeOff.user_id == user.id, TimeOff.starts_on <= today,
                                                   TimeOff.ends_on >= today).limit(1)) is not None


def assigned_today(session: Session, user: User, now: datetime) -> int:
    start, end = day_bounds(now, user.timezone)
    return session.scalar(select(func.count(FormSubmission.id)).where(
        FormSubmission.owner_id == user.id, FormSubmission.assigned_at >= start,
        FormSubmission.assigned_at < end)) or 0


def why_not(session: Session, user: User | None, now: datetime, daily_cap: int | None) -> str | None:
    """None when the user can take a lead now, else the reason they are skipped."""
    if user is None or not user.active:
        return "not an active user"
    if away(session, user, now):
        return "on time off"
    if daily_cap and assigned_today(session, user, now) >= daily_cap:
        return f"at the daily cap of {daily_cap}"
    return None
