"""The forms report: submissions per form and source (UTM), how many became a meeting and a deal, and how fast
reps touch a new lead (median minutes from submission to the speed-to-lead task done, per rep and week)."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.models import Event, Form, FormSubmission, Opportunity, Task, User

COUNTED = ("processed", "pending_confirmation", "received", "processing")


def _firsts(session: Session, model, time_col, ids: set[int], extra=None) -> dict[int, datetime]:
    if not ids:
        return {}
    stmt = select(model.prospect_id, func.min(time_col)).where(model.prospect_id.in_(ids))
    if extra is not None:
        stmt = stmt.where(extra)
    return dict(session.execute(stmt.group_by(model.prospect_id)).all())


def by_form(session: Session, start: datetime, end: datetime) -> list[dict]:
    """One row per form and UTM source: submissions, contacts, meetings and deals that followed."""
    subs = session.execute(select(FormSubmission.form_id, FormSubmission.utm, FormSubmission.prospect_id,
                                  FormSubmission.created_at).where(
        FormSubmission.created_at >= start, FormSubmission.created_at < end,
        FormSubmission.status.in_(COUNTED))).all()
    ids = {s.prospect_id for s in subs if s.prospect_id}
    meetings = _firsts(session, Event, Event.occurred_at, ids, Event.kind == "meeting_booked")
    deals = _firsts(session, Opportunity, Opportunity.created_at, ids)
    names = dict(session.execute(select(Form.id, Form.name)).all())
    rows: dict[tuple, dict] = {}
    for s in subs:
        source = (s.utm or {}).get("utm_source") or "(direct)"
        row = rows.setdefault((s.form_id, source), {"form_id": s.form_id, "form": names.get(s.form_id, ""),
                                                    "source": source, "submissions": 0, "meetings": 0, "deals": 0})
        row["submissions"] += 1
        if s.prospect_id and meetings.get(s.prospect_id) and meetings[s.prospect_id] >= s.created_at:
            row["meetings"] += 1
        if s.prospect_id and deals.get(s.prospect_id) and deals[s.prospect_id] >= s.created_at:
            row["deals"] += 1
    out = sorted(rows.values(), key=lambda r: (r["form"], -r["submissions"]))
    for row in out:
        row["meeting_rate"] = round(row["meetings"] / row["submissions"], 3)
        row["deal_rate"] = round(row["deals"] / row["submissions"], 3)
    return out


def speed_to_lead(session: Session, start: datetime, end: datetime, form_id: int | None = None) -> list[dict]:
    """Median minutes from submission to first touch (the speed-to-lead task done), per rep and ISO week."""
    rows = session.execute(select(FormSubmission.owner_id, FormSubmission.created_at, Task.completed_at)
                           .join(Task, Task.id == FormSubmission.task_id)
                           .where(FormSubmission.created_at >= start, FormSubmission.created_at < end,
                                  FormSubmission.owner_id.is_not(None),
                                  FormSubmission.form_id == form_id if form_id else FormSubmission.id.is_not(None))
                           ).all()
    waits: dict[tuple[int | None, str], list[float]] = defaultdict(list)
    open_: dict[tuple[int | None, str], int] = defaultdict(int)
    for owner_id, created, touched in rows:
        year, week, _ = created.isocalendar()
        key = (owner_id, f"{year}-W{week:02d}")
        if touched is None:
            open_[key] += 1
        else:
            waits[key].append(max(0.0, (touched - created).total_seconds() / 60))
    names: dict[int | None, str] = {u.id: u.name or u.email for u in session.scalars(select(User))}
    keys = sorted(set(waits) | set(open_), key=lambda k: (k[1], names.get(k[0], "")))
    return [{"user_id": uid, "rep": names.get(uid, ""), "week": week, "touched": len(waits[(uid, week)]),
             "untouched": open_[(uid, week)],
             "median_minutes": round(median(waits[(uid, week)]), 1) if waits[(uid, week)] else None}
            for uid, week in keys]
