"""Stale deals: the per-stage rule, when a deal went quiet, and one reminder task per stale period.

Days are counted on the owner's calendar: a deal whose last activity fell on local day D and whose
stage allows N quiet days is stale from local midnight at the start of day D+N. An open task planned
after `now` (a follow-up already booked) keeps a deal from being stale.

The reminder insert is `INSERT ... ON CONFLICT DO NOTHING` against two unique indexes on tasks:
`dedupe_key` ("stale:<deal>:<last activity>", one reminder per stale period even after it is done)
and a partial index allowing one *open* stale reminder per deal. Any number of jobs may race; the
database keeps exactly one row and only the run that inserted it sends the email or enrols
(the owner's email is built and sent by sequencer.mail.notify).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Insert, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload

from sequencer.accounts.workspace import get_workspace
from sequencer.deals.activity import Activity, activity_for
from sequencer.models import Event, Opportunity, Sequence, Stage, Task, TaskStatus
from sequencer.models.tasks import TaskType
from sequencer.models.workspace import DEFAULT_STALE_RULES
from sequencer.platform.i18n import gettext_in, localized, recipient_locale
from sequencer.platform.timezones import day_start, local_date, zone
from sequencer.texts import Text, tr

RULE_STAGES = [Stage.PROSPECTING, Stage.QUALIFICATION, Stage.NEEDS_ANALYSIS, Stage.PROPOSAL, Stage.NEGOTIATION]
# the words a stale reason uses for a stage and for the last activity (English is the stored value, spaced)
STAGE_WORDS = {"prospecting": tr("prospecting"), "qualification": tr("qualification"),
               "needs_analysis": tr("needs analysis"), "proposal": tr("proposal"), "negotiation": tr("negotiation")}
KIND_WORDS = {"sent": tr("sent"), "replied": tr("replied"), "task_completed": tr("task completed"),
              "meeting_booked": tr("meeting booked"), "note": tr("note"), "call_logged": tr("call logged"),
              "opportunity_created": tr("opportunity created"), "stage_changed": tr("stage changed")}


@dataclass
class Staleness:
    since: datetime
    last_at: datetime
    last_kind: str
    stage: str
    rule_days: int
    quiet_days: int

    @property
    def reason(self) -> Text:
        kind = KIND_WORDS.get(self.last_kind, self.last_kind.replace("_", " "))
        stage = STAGE_WORDS.get(self.stage, self.stage.replace("_", " "))
        return tr("No activity for %(days)s days (last: %(kind)s); %(stage)s deals go stale after %(rule)s",
                  days=self.quiet_days, kind=kind, stage=stage, rule=self.rule_days)


def rules_of(session: Session) -> dict[str, int]:
    """Stage -> quiet days; a stage without a positive number has no rule."""
    raw = get_workspace(session).stale_rules or DEFAULT_STALE_RULES
    return {k: int(v) for k, v in raw.items() if isinstance(v, int) and not isinstance(v, bool) and v > 0}


def clean_rules(data: dict) -> dict[str, int]:
    """Manager input (stage -> days, empty = no rule) checked; `Invalid` naming the stage otherwise."""
    from sequencer.errors import Invalid

    out, details = {}, []
    for stage in RULE_STAGES:
        raw = data.get(stage.value)
        if raw in (None, ""):
            continue
        try:
            days = int(raw)
        except (TypeError, ValueError):
            days = -1
        if not 1 <= days <= 365:
            details.append({"field": stage.value, "message": tr("days must be a whole number from 1 to 365")})
        else:
            out[stage.value] = days
    if details:
        raise Invalid.of(details)
    return out


def stale_from(last_at: datetime, days: int, tz_name: str | None) -> datetime:
    """Local midnight starting the Nth calendar day after the last activity, in the owner's zone (UTC out)."""
    tz = zone(tz_name)  # the owner's zone; UTC when the stored name is missing or unknown
    return day_start(local_date(last_at, tz) + timedelta(days=days), tz).astimezone(UTC)


def assess(opp: Opportunity, activity: Activity, rules: dict[str, int], owner_tz: str | None,
           now: datetime) -> Staleness | None:
    """Staleness of one deal as of `now`, or None (closed, no rule, follow-up planned, or recent activity)."""
    days = rules.get(opp.stage.value)
    if opp.stage.is_closed or not days:
        return None
    if activity.next_task_at is not None and activity.next_task_at > now:
        return None
    since = stale_from(activity.last_at, days, owner_tz)
    if now < since:
        return None
    tz = zone(owner_tz)
    quiet = (local_date(now, tz) - local_date(activity.last_at, tz)).days
    return Staleness(since, activity.last_at, activity.last_kind, opp.stage.value, days, quiet)


def open_deals(session: Session) -> list[Opportunity]:
    return list(session.scalars(select(Opportunity).where(Opportunity.stage.in_(RULE_STAGES))
                                .options(joinedload(Opportunity.owner), joinedload(Opportunity.company))
                                .order_by(Opportunity.id)))


def assess_all(session: Session, opps: list[Opportunity], now: datetime) -> tuple[dict, dict[int, Staleness]]:
    """(activity by deal id, staleness by deal id for the stale ones)."""
    activity = activity_for(session, opps, now)
    rules = rules_of(session)
    stale = {}
    for o in opps:
        found = assess(o, activity[o.id], rules, o.owner.timezone if o.owner else None, now)
        if found is not None:
            stale[o.id] = found
    return activity, stale


@dataclass
class ReminderResult:
    stale: int = 0
    created: list[int] = field(default_factory=list)  # task ids inserted by this run
    enrolled: int = 0

    def summary(self) -> dict:
        return {"stale": self.stale, "created": len(self.created), "enrolled": self.enrolled}


def _insert_once(session: Session, values: dict) -> int | None:
    """The task id, or None when a unique index says this reminder already exists."""
    dialect = session.get_bind().dialect.name
    stmt: Insert
    if dialect == "postgresql":
        stmt = postgresql.insert(Task).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(Task).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - we support PostgreSQL and SQLite
        stmt = insert(Task).values(**values)
    return session.execute(stmt.returning(Task.id)).scalar()


def create_reminders(session: Session, now: datetime) -> ReminderResult:
    """One reminder per stale period for every stale deal's owner; optional re-engagement enrolment."""
    from sequencer.outreach.enrol import enroll

    result = ReminderResult()
    opps = [o for o in open_deals(session) if o.owner is not None]
    _, stale = assess_all(session, opps, now)
    result.stale = len(stale)
    ws = get_workspace(session)
    sequence = session.get(Sequence, ws.stale_sequence_id) if ws.stale_sequence_id else None
    keys = {opp_id: f"stale:{opp_id}:{s.last_at.strftime('%Y%m%dT%H%M%S')}" for opp_id, s in stale.items()}
    # skip what visibly exists already (cheap); the unique indexes decide the races this cannot see
    have_open = set(session.scalars(select(Task.opportunity_id).where(
        Task.type == TaskType.STALE_OPPORTUNITY, Task.status == TaskStatus.OPEN))) if keys else set()
    have_key = set(session.scalars(select(Task.dedupe_key).where(Task.dedupe_key.in_(keys.values())))) if keys else set()
    for opp in opps:
        s = stale.get(opp.id)
        if s is None or opp.id in have_open or keys[opp.id] in have_key:
            continue
        key = keys[opp.id]
        locale = recipient_locale(opp.owner.locale if opp.owner else None, ws.default_locale)  # the task and its email speak the owner's
        task_id = _insert_once(session, {
            "type": TaskType.STALE_OPPORTUNITY, "status": TaskStatus.OPEN, "owner_id": opp.owner_id,
            "prospect_id": opp.prospect_id, "opportunity_id": opp.id, "priority": 1, "due_at": now,
            "title": gettext_in(locale, "Stale deal: %(name)s", name=opp.name)[:300], "dedupe_key": key,
            "created_at": now, "instructions": gettext_in(
                locale, "%(reason)s. Agree a next step with the buyer, or move the deal to closed lost.",
                reason=localized(s.reason, locale)),
        })
        if task_id is None:
            continue
        result.created.append(task_id)
        session.add(Event(kind="stale_reminder", occurred_at=now, opportunity_id=opp.id, task_id=task_id,
                          user_id=opp.owner_id, payload={"since": s.since.isoformat(), "reason": s.reason}))
        if sequence is not None and opp.prospect_id and opp.owner is not None:  # opps all have owners
            done = enroll(session, sequence, [opp.prospect_id], actor=opp.owner, now=now)
            result.enrolled += len(done.enrolled)
    session.flush()
    return result
