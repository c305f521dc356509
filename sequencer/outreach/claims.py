"""Claiming due emails for sending: the throttle, the daily budget and the lease, all held in the database.

Every step is a conditional update (plus FOR UPDATE SKIP LOCKED on PostgreSQL), so any number of
dispatchers on any number of hosts can run at once without claiming a row twice or exceeding a
mailbox's limits; a claim whose lease ran out is taken back, or marked uncertain if SMTP may have
seen it.
"""
from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Row, and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from sequencer.deliverability import warmup
from sequencer.deliverability.domains import gate_reason
from sequencer.models import (
    Enrollment,
    EnrollmentStatus,
    Event,
    Mailbox,
    Prospect,
    StepRun,
    StepRunState,
    StepType,
)
from sequencer.models.mail import MailboxStatus
from sequencer.models.sequences import Step
from sequencer.platform import timezones
from sequencer.platform.db import rowcount

LEASE = timedelta(minutes=2)
MAX_BATCH = 200
UNCERTAIN_WHY = "the worker stopped after handing it to SMTP: check the recipient's copy, then mark sent or send again"


@dataclass
class Claim:
    mailbox_id: int
    token: str
    run_ids: list[int]
    full: bool = False  # took all the room it had and the mailbox has allowance left: more may be due at once


def release_expired(session: Session, now: datetime) -> tuple[int, int]:
    """Expired leases: never-attempted claims go back to scheduled; attempted ones become uncertain."""
    expired = and_(StepRun.state == StepRunState.SENDING, StepRun.lease_until < now)
    back = rowcount(session.execute(update(StepRun).where(expired, StepRun.send_started_at.is_(None))
                                    .values(state=StepRunState.SCHEDULED, claimed_by=None, lease_until=None,
                                            why_waiting="claim expired, queued again")
                                    .execution_options(synchronize_session=False)))
    unsure = session.execute(update(StepRun).where(expired, StepRun.send_started_at.is_not(None))
                             .values(state=StepRunState.UNCERTAIN, lease_until=None, why_waiting=UNCERTAIN_WHY)
                             .returning(StepRun.id, StepRun.enrollment_id)
                             .execution_options(synchronize_session=False)).all()
    session.add_all(Event(kind="send_uncertain", occurred_at=now, step_run_id=rid, enrollment_id=eid, payload={})
                    for rid, eid in unsure)
    return back, len(unsure)


def _due_email(now: datetime):
    return and_(StepRun.state == StepRunState.SCHEDULED, StepRun.due_at <= now, StepRun.holdout.is_(False),
                Enrollment.status == EnrollmentStatus.ACTIVE, Step.type == StepType.AUTO_EMAIL)


def _sent_today(session: Session, mailbox_id: int, since: datetime) -> int:
    """Sent since `since`, plus in flight: three index-friendly counts rather than one OR over the table."""
    count = lambda *where: session.scalar(select(func.count()).select_from(StepRun).where(  # noqa: E731
        StepRun.mailbox_id == mailbox_id, *where)) or 0
    return (count(StepRun.sent_at >= since)
            + count(StepRun.state == StepRunState.SENDING)
            + count(StepRun.state == StepRunState.UNCERTAIN, StepRun.send_started_at >= since))


def _mark_waiting(session: Session, mailbox_id: int, now: datetime, why: str) -> None:
    ids = select(StepRun.id).join(Enrollment, Enrollment.id == StepRun.enrollment_id).join(
        Step, Step.id == StepRun.step_id).where(_due_email(now), StepRun.mailbox_id == mailbox_id)
    session.execute(update(StepRun).where(StepRun.id.in_(ids), StepRun.why_waiting.is_distinct_from(why))
                    .values(why_waiting=why).execution_options(synchronize_session=False))


def _slot_text(moment: datetime, zone: str) -> str:
    return moment.astimezone(timezones.zone(zone)).strftime("%a %H:%M ") + zone


def _within_domain_limit(session: Session, mailbox: Mailbox, cap: int, candidates: Sequence[Row[int, str]],
                         count: int, *, since: datetime) -> list[int]:
    """Keep candidates whose recipient domain is under the mailbox's per-domain daily cap (`cap`)."""
    used = Counter(email.rsplit("@", 1)[-1] for email in session.scalars(
        select(Prospect.email_normalized).join(Enrollment, Enrollment.prospect_id == Prospect.id)
        .join(StepRun, StepRun.enrollment_id == Enrollment.id)
        .where(StepRun.mailbox_id == mailbox.id,
               or_(StepRun.sent_at >= since, StepRun.state == StepRunState.SENDING))))
    chosen: list[int] = []
    blocked: list[tuple[int, str]] = []
    for run_id, email in candidates:
        domain = email.rsplit("@", 1)[-1]
        if used[domain] >= cap:
            blocked.append((run_id, domain))
        elif len(chosen) < count:
            used[domain] += 1
            chosen.append(run_id)
    for run_id, domain in blocked:
        session.execute(update(StepRun).where(StepRun.id == run_id).values(
            why_waiting=f"recipient domain limit {used[domain]}/{cap} for {domain} today")
            .execution_options(synchronize_session=False))
    return chosen


def claim_mailbox(session: Session, mailbox: Mailbox, now: datetime, rng: random.Random,
                  lease: timedelta = LEASE, max_batch: int = MAX_BATCH) -> Claim | None:
    """Reserve this mailbox's next sending slot and claim the due emails that fit in it: at most `max_batch`,
    and never more than what is left of the mailbox's daily allowance (the batch shrinks as the day fills)."""
    zone = mailbox.owner.timezone if mailbox.owner else "UTC"
    if mailbox.status == MailboxStatus.PAUSED:
        _mark_waiting(session, mailbox.id, now, f"mailbox paused: {mailbox.paused_reason or 'by an admin'}")
        return None
    gate = gate_reason(session, mailbox)
    if gate:
        _mark_waiting(session, mailbox.id, now, gate)
        return None
    day_start = timezones.local_midnight(now, zone)
    limit = warmup.limit_for(mailbox, day_start.date())
    used = _sent_today(session, mailbox.id, day_start.astimezone(now.tzinfo))
    if used >= limit:
        tomorrow = (day_start + timedelta(days=1)).astimezone(timezones.zone(zone))
        _mark_waiting(session, mailbox.id, now, f"mailbox {warmup.limit_text(mailbox, day_start.date(), used)}, "
                                                f"next slot {_slot_text(tomorrow, zone)}")
        return None
    room = min(limit - used, max_batch)
    interval = mailbox.min_interval_seconds
    count = 1 if interval > 0 else room
    gap = timedelta(seconds=interval * count + (rng.uniform(0, interval * 0.25) if interval else 0))
    reserved = rowcount(session.execute(update(Mailbox).where(
        Mailbox.id == mailbox.id, or_(Mailbox.next_send_at.is_(None), Mailbox.next_send_at <= now))
        .values(next_send_at=now + gap).execution_options(synchronize_session=False)))
    if not reserved:
        _mark_waiting(session, mailbox.id, now,
                      f"mailbox throttled, next slot {_slot_text(mailbox.next_send_at or now, zone)}")
        return None
    token = uuid.uuid4().hex
    per_domain = mailbox.domain_daily_limit
    candidates = session.execute(
        select(StepRun.id, Prospect.email_normalized).join(Enrollment, Enrollment.id == StepRun.enrollment_id)
        .join(Step, Step.id == StepRun.step_id).join(Prospect, Prospect.id == Enrollment.prospect_id)
        .where(_due_email(now), StepRun.mailbox_id == mailbox.id)
        .order_by(case((StepRun.position > 1, 0), else_=1), StepRun.due_at, StepRun.id)
        .limit(count * 5 if per_domain else count).with_for_update(skip_locked=True, of=StepRun)).all()
    chosen = [rid for rid, _ in candidates]
    if per_domain:
        chosen = _within_domain_limit(session, mailbox, per_domain, candidates, count, since=day_start)
    ids = list(session.scalars(update(StepRun).where(StepRun.id.in_(chosen), StepRun.state == StepRunState.SCHEDULED)
                               .values(state=StepRunState.SENDING, claimed_by=token, lease_until=now + lease,
                                       attempt=StepRun.attempt + 1, why_waiting=None)
                               .returning(StepRun.id).execution_options(synchronize_session=False))) if chosen else []
    if not ids:  # nothing due after all: give the slot back
        session.execute(update(Mailbox).where(Mailbox.id == mailbox.id).values(next_send_at=now)
                        .execution_options(synchronize_session=False))
        return None
    return Claim(mailbox.id, token, sorted(ids), full=len(ids) == count and used + len(ids) < mailbox.daily_limit)


def claim_due_emails(session: Session, now: datetime, rng: random.Random | None = None,
                     lease: timedelta = LEASE, max_batch: int = MAX_BATCH) -> list[Claim]:
    """One claim (at most `max_batch` emails) per mailbox that has due emails and room to send them;
    each claim holds for `lease`."""
    rng = rng or random.Random()
    mailbox_ids = session.scalars(
        select(StepRun.mailbox_id).join(Enrollment, Enrollment.id == StepRun.enrollment_id)
        .join(Step, Step.id == StepRun.step_id).where(_due_email(now), StepRun.mailbox_id.is_not(None))
        .distinct()).all()
    claims = []
    for mailbox in session.scalars(select(Mailbox).where(Mailbox.id.in_(mailbox_ids)).order_by(Mailbox.id)):
        claim = claim_mailbox(session, mailbox, now, rng, lease, max_batch)
        if claim:
            claims.append(claim)
    return claims
