"""The demo workspace: a Vilnius spend-management vendor mid-quarter, with a full funnel to explore.

`seed_demo` is idempotent (it does nothing once admin@example.com exists), deterministic for a
given clock (one seeded `random.Random`), relative to `sequencer.platform.clock.now()`, and fast: the
password is hashed once and rows go in with a handful of flushes. The caller commits.
"""
from __future__ import annotations

import random
import time
from dataclasses import asdict, dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.deals.stale import create_reminders
from sequencer.demo.activity import Activity, PendingEvent
from sequencer.demo.directory import build_market, build_team
from sequencer.demo.forms import build_forms
from sequencer.demo.goals import build_goals
from sequencer.demo.inbound_live import answer_live
from sequencer.demo.live import enrol_webinar_attendees, webinar_sequence
from sequencer.demo.people import FIXED_PEOPLE
from sequencer.demo.pipeline import build_inbound, build_opportunities
from sequencer.demo.plans import specs
from sequencer.demo.scoring import build_scoring
from sequencer.demo.sequences import build_sequences
from sequencer.demo.timeline import Timeline
from sequencer.models import (
    Enrollment,
    Event,
    Prospect,
    ProspectStatus,
    Sequence,
    StepRun,
    StepRunState,
    Suppression,
    Task,
    TaskStatus,
    User,
)
from sequencer.models.crm import SuppressionKind
from sequencer.models.tasks import TaskType
from sequencer.platform import clock
from sequencer.platform.i18n import gettext_in
from sequencer.platform.security import hash_password

DEMO_PASSWORD = "sequencer-demo"
DEMO_LOGINS = [
    ("admin@example.com", "admin"),
    ("manager@example.com", "manager"),
    ("rep@example.com", "rep"),
    ("rep2@example.com", "rep"),
]
SEED = 20261128


@dataclass
class DemoResult:
    created: bool
    users: int = 0
    companies: int = 0
    prospects: int = 0
    sequences: int = 0
    enrollments: int = 0
    step_runs: int = 0
    tasks: int = 0
    events: int = 0
    opportunities: int = 0
    inbound_messages: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.created:
            return "demo workspace already loaded; nothing changed"
        counts = {k: v for k, v in asdict(self).items() if k not in ("created", "seconds")}
        return ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()) + f" in {self.seconds:.2f} s"


def seed_demo(session: Session) -> DemoResult:
    started = time.perf_counter()
    if session.scalar(select(User.id).where(User.email == DEMO_LOGINS[0][0])) is not None:
        return DemoResult(created=False)
    now, rng = clock.now(), random.Random(SEED)
    tl = Timeline(now, rng)

    d = build_team(session, hash_password(DEMO_PASSWORD), now)
    build_market(session, d, rng, now)
    session.flush()
    seqs = build_sequences(d.users["manager"], now - timedelta(days=50))
    session.add_all(seqs.values())
    session.flush()

    activity = Activity(d, seqs, tl, rng)
    named = {(first, last) for _, first, last, _, _ in FIXED_PEOPLE}
    unenrolled = []
    for owner, plan in specs().items():
        pool = [p for p in d.prospects if p.owner is d.users[owner]]
        first = [p for p in pool if (p.first_name, p.last_name) in named]
        rest = [p for p in pool if (p.first_name, p.last_name) not in named]
        rng.shuffle(rest)
        pool = first + rest
        for spec, prospect in zip(plan, pool, strict=False):  # the rest of the pool stays unenrolled
            activity.add(spec, prospect)
        unenrolled += pool[len(plan):]
    for p in unenrolled[:: max(1, len(unenrolled) // 4)][:4]:  # a few people we promised never to contact
        p.status = ProspectStatus.DO_NOT_CONTACT
        activity.suppress.append((p.email_normalized, "manual"))
    busy = {enr.prospect.company_id for enr in activity.enrollments}
    quiet = {p.id for p in d.prospects if p.company_id not in busy}
    deals = build_opportunities(activity.outcomes, d.prospects, tl, rng, quiet)
    opportunities = [opp for opp, _ in deals]
    session.add_all(activity.enrollments)
    session.add_all(opportunities)
    session.flush()
    session.add_all(Event(opportunity_id=opp.id, **e) for opp, events in deals for e in events)

    runs = [run for enr in activity.enrollments for run in enr.step_runs]
    for run in runs:
        if run.state == StepRunState.SENT:
            run.message_id = f"<sr-{run.id}.{rng.getrandbits(40):010x}@sequencer.demo>"
    tasks = []
    for task, run, enr in activity.tasks:
        task.step_run_id = run.id if run is not None else None
        task.enrollment_id = enr.id if enr is not None else None
        tasks.append(task)
    rep = d.users["rep"]
    tasks.append(Task(type=TaskType.TODO, status=TaskStatus.OPEN, owner=rep, priority=2,
                      due_at=tl.at(tl.shift(tl.today(rep.timezone), 2, "LT"), 11 * 60, rep.timezone),
                      title=gettext_in(rep.locale, "Prepare the monthly pipeline review for Laura"),
                      instructions=gettext_in(rep.locale, "Update close dates and BANT notes on every open deal "
                                                          "before the review."),
                      created_at=now - timedelta(hours=3)))
    inbound = build_inbound(activity.outcomes, rng)
    session.add_all(tasks)
    session.add_all(msg for msg, _ in inbound)
    session.flush()

    live = webinar_sequence(d.users["manager"])
    session.add(live)
    session.flush()
    enrol_webinar_attendees(session, live, unenrolled, now)
    seqs = {**seqs, "webinar": live}

    events = [_event(e) for e in sorted(activity.events, key=lambda e: e.at)]
    session.add_all(events)
    session.add_all(Suppression(kind=SuppressionKind.EMAIL, value=email, reason=reason)
                    for email, reason in dict(activity.suppress).items())
    session.flush()
    create_reminders(session, now)  # the real stale-deal job: its reminders, exactly once
    build_scoring(session, d.prospects, d.users["manager"], rng, now)  # activities, scores, hand-offs
    answered = answer_live(session, now)  # through the real inbound pipeline: these take effect now
    build_goals(session, d.users["manager"], now)  # a yearly goal planned from the history above
    build_forms(session, d.users, now)  # two website forms, their submissions through the real intake and worker

    def count(model) -> int:
        return session.scalar(select(func.count()).select_from(model))

    return DemoResult(
        created=True, users=len(d.users), companies=len(d.companies), prospects=count(Prospect),
        sequences=count(Sequence), enrollments=count(Enrollment),
        step_runs=count(StepRun), tasks=count(Task), events=count(Event), opportunities=len(opportunities),
        inbound_messages=len(inbound) + answered, seconds=time.perf_counter() - started,
    )


def _event(e: PendingEvent) -> Event:
    enr, run = e.enr, e.run
    return Event(
        kind=e.kind, occurred_at=e.at, prospect_id=enr.prospect_id if enr else None,
        enrollment_id=enr.id if enr else None, sequence_id=enr.sequence_id if enr else None,
        step_id=run.step_id if run else None, step_run_id=run.id if run else None,
        variant_id=run.variant_id if run else None,
        mailbox_id=(run.mailbox_id if run and run.mailbox_id else enr.mailbox_id if enr else None),
        task_id=e.task.id if e.task else None, user_id=e.user_id, payload=e.payload,
        inbound_message_id=e.inbound.id if e.inbound is not None else None,
    )
