"""A deal's "last activity", derived from the events and tasks of its contacts and company, never typed.

For any number of deals this costs a fixed handful of grouped queries: the contacts of the deals'
companies, the latest activity event per contact and per deal, the latest completed task per contact
and per deal, and the next open task (planned follow-up) per contact and per deal.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.models import Event, Opportunity, Prospect, Task, TaskStatus

# what a person did with or for the buyer; opens, clicks and bookkeeping events are not activity
ACTIVITY_KINDS = ("sent", "replied", "task_completed", "meeting_booked", "note", "call_logged",
                  "opportunity_created", "stage_changed")


@dataclass
class Activity:
    last_at: datetime
    last_kind: str
    next_task_at: datetime | None = None  # the earliest open task planned after `now`


def _latest_events(session: Session, column, ids: set[int]) -> dict[int, tuple[datetime, str]]:
    """(time, kind) of the newest activity event per value of `column` (one window-function query)."""
    if not ids:
        return {}
    ranked = (select(column.label("key"), Event.occurred_at, Event.kind,
                     func.row_number().over(partition_by=column,
                                            order_by=(Event.occurred_at.desc(), Event.id.desc())).label("rn"))
              .where(column.in_(ids), Event.kind.in_(ACTIVITY_KINDS)).subquery())
    rows = session.execute(select(ranked.c.key, ranked.c.occurred_at, ranked.c.kind).where(ranked.c.rn == 1))
    return {key: (at, kind) for key, at, kind in rows}


def _task_times(session: Session, column, ids: set[int], now: datetime) -> tuple[dict, dict]:
    """Latest completion and earliest future open due time per value of `column`."""
    if not ids:
        return {}, {}
    done: dict[int, datetime] = dict(session.execute(select(column, func.max(Task.completed_at)).where(
        column.in_(ids), Task.status == TaskStatus.DONE, Task.completed_at.is_not(None)).group_by(column)).all())
    planned: dict[int, datetime] = dict(session.execute(select(column, func.min(Task.due_at)).where(
        column.in_(ids), Task.status == TaskStatus.OPEN, Task.due_at > now).group_by(column)).all())
    return done, planned


def contacts_of(session: Session, opps: list[Opportunity]) -> dict[int, set[int]]:
    """Deal id -> prospect ids that count for it: the primary contact and everyone at the company."""
    company_ids = {o.company_id for o in opps if o.company_id}
    by_company: dict[int | None, set[int]] = defaultdict(set)  # keyed by a nullable column
    if company_ids:
        for pid, cid in session.execute(select(Prospect.id, Prospect.company_id)
                                        .where(Prospect.company_id.in_(company_ids))):
            by_company[cid].add(pid)
    return {o.id: ({o.prospect_id} if o.prospect_id else set()) | by_company.get(o.company_id, set())
            for o in opps}


def activity_for(session: Session, opps: list[Opportunity], now: datetime) -> dict[int, Activity]:
    """Deal id -> its derived Activity; a deal with nothing recorded counts from its creation."""
    contacts = contacts_of(session, opps)
    prospect_ids = set().union(*contacts.values()) if contacts else set()
    opp_ids = {o.id for o in opps}
    ev_p = _latest_events(session, Event.prospect_id, prospect_ids)
    ev_o = _latest_events(session, Event.opportunity_id, opp_ids)
    done_p, planned_p = _task_times(session, Task.prospect_id, prospect_ids, now)
    done_o, planned_o = _task_times(session, Task.opportunity_id, opp_ids, now)
    out = {}
    for o in opps:
        candidates = [(o.created_at, "opportunity_created")]
        candidates += [ev_p[p] for p in contacts[o.id] if p in ev_p]
        candidates += [(done_p[p], "task_completed") for p in contacts[o.id] if p in done_p]
        if o.id in ev_o:
            candidates.append(ev_o[o.id])
        if o.id in done_o:
            candidates.append((done_o[o.id], "task_completed"))
        last_at, last_kind = max(candidates, key=lambda c: c[0])
        planned = [planned_p[p] for p in contacts[o.id] if p in planned_p]
        planned += [planned_o[o.id]] if o.id in planned_o else []
        out[o.id] = Activity(last_at, last_kind, min(planned) if planned else None)
    return out
