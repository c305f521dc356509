"""Before a mass enrolment: how many would be enrolled, who is left out and why, and how long step 1 takes to go
out at each sending mailbox's daily cap, in the sequence's business days. The enrol page and the API both ask here.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.calendar import Schedule, business_days_between, nth_business_day
from sequencer.models import Mailbox, Sequence, Step, StepRun, StepRunState, User
from sequencer.outreach.enrol import plan
from sequencer.platform.timezones import zone


@dataclass
class MailboxLoad:
    mailbox_id: int
    email: str
    prospects: int          # of this enrolment
    waiting: int            # emails already scheduled from this mailbox
    daily_limit: int
    business_days: int      # to send step 1 to all of them, after what already waits
    last_day: date


@dataclass
class Estimate:
    count: int
    excluded: dict[str, int] = field(default_factory=dict)   # reason → prospects
    mailboxes: list[MailboxLoad] = field(default_factory=list)
    first_step_is_email: bool = True

    @property
    def business_days(self) -> int:
        return max((m.business_days for m in self.mailboxes), default=0)


def _first_business_day(today: date, schedule: Schedule) -> date:
    return today if business_days_between(today - timedelta(days=1), today, schedule, None) else \
        nth_business_day(today, 1, schedule, None)


def _waiting(session: Session, mailbox_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(StepRun.mailbox_id, func.count()).join(Step, Step.id == StepRun.step_id)
        .where(StepRun.mailbox_id.in_(mailbox_ids), StepRun.state == StepRunState.SCHEDULED,
               Step.type.in_(("auto_email", "manual_email")))
        .group_by(StepRun.mailbox_id))
    return {box: n for box, n in rows if box is not None}


def estimate(session: Session, sequence: Sequence, prospect_ids: list[int], *, actor: User, now: datetime,
             mailbox_id: int | None = None) -> Estimate:
    """The enrolment `enroll` would make with these arguments, measured; nothing is written."""
    accepted, skipped = plan(session, sequence, prospect_ids, actor=actor, now=now, mailbox_id=mailbox_id)
    out = Estimate(count=len(accepted), excluded=dict(Counter(reason for _, reason in skipped)))
    out.first_step_is_email = bool(sequence.steps) and sequence.steps[0].type.is_email
    if not accepted or not out.first_step_is_email:
        return out
    schedule = Schedule.from_dict(sequence.schedule)
    start = _first_business_day(now.astimezone(zone(schedule.fallback_timezone)).date(), schedule)
    per_box: Counter[int] = Counter(box for _, box in accepted if box is not None)
    boxes = {m.id: m for m in session.scalars(select(Mailbox).where(Mailbox.id.in_(per_box)))}
    waiting = _waiting(session, list(per_box))
    for box_id, n in per_box.most_common():
        box = boxes[box_id]
        cap = max(box.daily_limit, 1)
        days = math.ceil((waiting.get(box_id, 0) + n) / cap)
        out.mailboxes.append(MailboxLoad(box_id, box.email, n, waiting.get(box_id, 0), box.daily_limit, days,
                                         nth_business_day(start, days - 1, schedule, None)))
    return out
