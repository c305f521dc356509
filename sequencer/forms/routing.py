"""Who owns a new lead: the manager's ordered rules (country, persona, company size, form), then a weighted
round-robin over a team. Each choice comes with the reason it is recorded with.

The round-robin remembers how many leads each member got (`form_rotation`) and gives the next lead to the
member furthest below their weighted share. A member who joins starts at the team's current share rather than
zero, and one who leaves keeps their count, so changing the team never resets the rotation or floods a newcomer.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sequencer.forms import availability
from sequencer.models import Form, FormRotation, User
from sequencer.scoring.sql import is_pg


@dataclass
class Choice:
    user: User | None
    reason: str


def _matches(rule: dict, attrs: dict) -> bool:
    value = attrs.get(rule["field"])
    return value is not None and str(value).lower() in {v.lower() for v in rule["in"]}


def _lock(session: Session, form: Form) -> None:
    """One router per form at a time on PostgreSQL (SQLite serialises writers already)."""
    if is_pg(session):
        session.execute(select(Form.id).where(Form.id == form.id).with_for_update())


def _counts(session: Session, form: Form, members: list[dict]) -> dict[int, int]:
    """Each member's count; a member new to the rotation starts at the team's current share, not at zero."""
    rows = {r.user_id: r for r in session.scalars(select(FormRotation).where(FormRotation.form_id == form.id))}
    weights = {m["user_id"]: m["weight"] for m in members}
    known = [rows[uid].assigned / weights[uid] for uid in weights if uid in rows]
    share = min(known) if known else 0.0
    for uid, weight in weights.items():
        if uid not in rows:
            rows[uid] = FormRotation(form_id=form.id, user_id=uid, assigned=int(share * weight))
            session.add(rows[uid])
    session.flush()
    return {uid: rows[uid].assigned for uid in weights}


def round_robin(session: Session, form: Form, now: datetime, exclude: set[int] = frozenset()) -> Choice:  # type: ignore[assignment]
    members = [m for m in (form.routing or {}).get("round_robin", []) if m.get("user_id")]
    if not members:
        return Choice(None, "no round-robin team")
    _lock(session, form)
    counts = _counts(session, form, members)
    cap = (form.routing or {}).get("daily_cap")
    skipped: list[str] = []
    order = sorted(members, key=lambda m: ((counts[m["user_id"]] + 1) / m["weight"], members.index(m)))
    for member in order:
        user = session.get(User, member["user_id"])
        why = "the current owner" if member["user_id"] in exclude else availability.why_not(session, user, now, cap)
        if why is None and user is not None:
            session.execute(update(FormRotation).where(FormRotation.form_id == form.id,
                                                       FormRotation.user_id == user.id)
                            .values(assigned=FormRotation.assigned + 1).execution_options(synchronize_session=False))
            session.expire_all()
            note = f" (skipped {'; '.join(skipped)})" if skipped else ""
            return Choice(user, f"round-robin, weight {member['weight']}{note}"[:300])
        skipped.append(f"{user.name or user.email if user else member['user_id']}: {why}")
    return Choice(None, f"everyone in the round-robin is unavailable ({'; '.join(skipped)})"[:300])


def route(session: Session, form: Form, attrs: dict, now: datetime) -> Choice:
    """The first matching rule whose rep can take the lead, else the round-robin, else the form's manager."""
    cap = (form.routing or {}).get("daily_cap")
    for position, rule in enumerate((form.routing or {}).get("rules", []), start=1):
        if _matches(rule, attrs):
            user = session.get(User, rule["user_id"])
            if availability.why_not(session, user, now, cap) is None and user is not None:
                return Choice(user, f"rule {position}: {rule['field']} is {attrs.get(rule['field'])}")
    choice = round_robin(session, form, now)
    if choice.user is not None:
        return choice
    manager = session.get(User, form.manager_id) if form.manager_id else None
    return Choice(manager, f"the form's manager: {choice.reason}"[:300])
