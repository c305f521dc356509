"""Enrolments with a believable past: sent emails, worked tasks, opens, replies, exits and pauses.

Each plan (see `plans.py`) is laid out backwards from an anchor day with business-day waits, so
every touch already performed is in the past and every scheduled one in the future. Rows are
collected here and flushed in batches by `seed_demo`; events keep object references until ids exist.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sequencer.demo.directory import Directory
from sequencer.demo.plans import Spec
from sequencer.demo.sequences import Renderer, context
from sequencer.demo.timeline import Timeline
from sequencer.models import (
    Enrollment,
    EnrollmentStatus,
    Prospect,
    ProspectStatus,
    Sequence,
    StepRun,
    StepRunState,
    StepType,
    Task,
    TaskStatus,
)
from sequencer.models.tasks import TaskType
from sequencer.outreach.attribution import latest_email
from sequencer.platform.i18n import DEFAULT_LOCALE, gettext_in, recipient_locale
from sequencer.sequences.instructions import render_instructions
from sequencer.sequences.preview import sender_view

CALL_OUTCOMES = ["no_answer", "voicemail", "connected", "no_answer", "voicemail"]
SKIP_NOTES = {StepType.CALL: "No direct dial; switchboard would not put me through",
              StepType.LINKEDIN_VIEW: "Profile not found", StepType.LINKEDIN_CONNECT: "Already connected",
              StepType.LINKEDIN_MESSAGE: "Not connected yet; messaging closed"}
SENTIMENTS = ["positive", "negative", "positive", "referral", "negative", "positive"]
MANUAL_EXIT_NOTES = ["Already a customer through our partner", "Wrong company: subsidiary is out of scope",
                     "Asked by account manager to stop", "Company acquired; new ERP project frozen"]
CASE_STUDY_URL = "https://kvitas-demo.com/case-studies/month-end-close"


@dataclass
class PendingEvent:
    kind: str
    at: datetime
    enr: Enrollment | None = None
    run: StepRun | None = None
    task: Task | None = None
    user_id: int | None = None
    payload: dict = field(default_factory=dict)
    prospect: Prospect | None = None
    opportunity: object | None = None
    inbound: object | None = None  # the InboundMessage that caused it


@dataclass
class Outcome:
    """A notable ending the inbound/pipeline builders hang rows on."""
    kind: str  # replied | auto_replied | bounced | unsubscribed | meeting_booked
    enr: Enrollment
    run: StepRun | None
    at: datetime
    event: PendingEvent
    extra: dict = field(default_factory=dict)


class Activity:
    def __init__(self, d: Directory, seqs: dict[str, Sequence], tl: Timeline, rng: random.Random):
        self.d, self.seqs, self.tl, self.rng = d, seqs, tl, rng
        self.renderer = Renderer()
        self.enrollments: list[Enrollment] = []
        self.tasks: list[tuple[Task, StepRun | None, Enrollment | None]] = []
        self.events: list[PendingEvent] = []
        self.outcomes: list[Outcome] = []
        self.suppress: list[tuple[str, str]] = []  # (email, reason)

    # -- helpers -------------------------------------------------------------------------------
    def _owner_key(self, p: Prospect) -> str:
        return next(k for k, u in self.d.users.items() if u is p.owner)

    @staticmethod
    def _lang(p: Prospect) -> str:
        """Tasks speak their owner's language, else the workspace's (the demo's keeps the default)."""
        return recipient_locale(p.owner.locale, DEFAULT_LOCALE)

    def _event(self, kind: str, at: datetime, enr: Enrollment, run: StepRun | None = None, **kw) -> PendingEvent:
        ev = PendingEvent(kind, at, enr, run, **kw)
        self.events.append(ev)
        return ev

    def _task(self, p: Prospect, step, run: StepRun, enr: Enrollment, due: datetime, status: TaskStatus,
              at: datetime | None, outcome: str | None, notes: str | None = None, draft: str = "") -> Task:
        ttype = TaskType(step.type.value)
        name, company, lang = p.name, p.company.name, self._lang(p)
        title = {
            TaskType.CALL: gettext_in(lang, "Call %(name)s (%(title)s, %(company)s)", name=name, title=p.title,
                                      company=company),
            TaskType.LINKEDIN_VIEW: gettext_in(lang, "View %(name)s's LinkedIn profile", name=name),
            TaskType.LINKEDIN_CONNECT: gettext_in(lang, "Connect with %(name)s on LinkedIn", name=name),
            TaskType.LINKEDIN_MESSAGE: gettext_in(lang, "LinkedIn message to %(name)s", name=name),
            TaskType.MANUAL_EMAIL: gettext_in(lang, "Personal email to %(name)s (%(company)s)", name=name,
                                              company=company),
        }[ttype]
        extra = gettext_in(lang, "Phone: %(phone)s (%(zone)s)", phone=p.phone, zone=p.timezone) \
            if ttype == TaskType.CALL else gettext_in(lang, "Profile: %(url)s", url=p.linkedin_url)
        instructions = f"{render_instructions(step.instructions, p, sender_view(p.owner))}\n\n{extra}" + (
            "\n\n" + gettext_in(lang, "Draft:") + f"\n{draft}" if draft else "")
        task = Task(type=ttype, status=status, owner=p.owner, prospect=p, due_at=due, title=title,
                    instructions=instructions, outcome=outcome, notes=notes, completed_at=at,
                    priority=1 if ttype in (TaskType.CALL, TaskType.MANUAL_EMAIL) else 2,
                    created_at=min(due, self.tl.now))
        self.tasks.append((task, run, enr))
        return task

    def _variant(self, step, spec: Spec):
        variants = step.variants
        if len(variants) == 1:
            return variants[0]
        if spec.variant and step.position == 1:
            return next(v for v in variants if v.label == spec.variant)
        return self.rng.choices(variants, weights=[v.weight for v in variants])[0]

    # -- one enrolment -------------------------------------------------------------------------
    def add(self, spec: Spec, p: Prospect) -> Enrollment:
        tl, rng = self.tl, self.rng
        seq = self.seqs[spec.seq]
        steps = seq.steps
        owner = p.owner
        mailbox = self.d.mailboxes[self._owner_key(p)]
        tz, country, otz = p.timezone, p.country, owner.timezone
        today = tl.today(tz)
        enr = Enrollment(prospect=p, sequence=seq, mailbox=mailbox, enrolled_by_id=owner.id,
                         status=EnrollmentStatus(spec.status))
        self.enrollments.append(enr)
        ctx = context(p, p.company, owner, p.persona)

        # 1. anchor: the current step (active) or the last performed step (others)
        k, current, why = spec.k, None, None
        if spec.status == "active":
            step = steps[k - 1]
            if spec.mode == "today":
                due = tl.at(tl.today(otz), rng.randrange(9 * 60 + 30, 12 * 60 + 30), otz)
            elif spec.mode == "overdue":
                due = tl.in_window(tl.shift(tl.today(otz), -rng.randint(1, 3), country), otz)
            elif spec.mode == "fresh" or (step.type == StepType.AUTO_EMAIL and rng.random() < 0.5):
                due, why = tl.next_window(tz, country)
            else:
                due = tl.in_window(tl.shift(today, rng.randint(1, 3), country), tz)
                what = "sends" if step.type == StepType.AUTO_EMAIL else "task opens"
                why = (f"waiting {step.wait_days} business day{'s' * (step.wait_days != 1)} after step {k - 1}; "
                       f"{what} {tl.local_label(due, tz)}")
            current = (step, due, why if spec.mode in ("future", "fresh") else None)
            last_past, anchor_day = k - 1, due.astimezone(tl.local_now(tz).tzinfo).date()
        else:
            last_past = k
            back = {"paused": (1, 5), "finished": (1, 8)}.get(spec.status, (1, 10))
            anchor_day = tl.shift(today, -rng.randint(*back), country)

        # 2. dates for steps 1..k, walking back by each step's business-day wait; the past stays past
        cap = tl.shift(today, -1, country)
        days = {k: anchor_day}
        for pos in range(k, 1, -1):
            days[pos - 1] = min(tl.shift(days[pos], -steps[pos - 1].wait_days, country), cap)
        times = {pos: tl.in_window(days[pos], tz) for pos in range(1, last_past + 1)}
        first = times.get(1) or (current[1] if current else tl.now)
        enr.created_at = min(first, tl.now) - timedelta(minutes=rng.randrange(10, 180))

        # 3. the touches already performed
        thread_subject, prev_at, runs = None, enr.created_at, {}
        for pos in range(1, last_past + 1):
            step, at = steps[pos - 1], times[pos]
            final = pos == last_past and spec.status == "exited"
            if step.type.is_email:
                variant = self._variant(step, spec)
                subject, text, html = self.renderer.render(
                    variant, p.persona.key if p.persona else None, ctx, thread_subject if step.thread else None)
                thread_subject = subject
                run = StepRun(enrollment=enr, step=step, position=pos, variant=variant, mailbox_id=mailbox.id,
                              state=StepRunState.SENT, due_at=at - timedelta(seconds=rng.randrange(5, 240)),
                              subject=subject, body_text=text, body_html=html, sent_at=at, done_at=at,
                              attempt=1, created_at=prev_at)
                self._event("sent", at, enr, run, payload={"subject": subject})
                if step.type == StepType.MANUAL_EMAIL:
                    task = self._task(p, step, run, enr, run.due_at, TaskStatus.DONE, at, "done")
                    self._event("task_completed", at, enr, run, task=task, user_id=owner.id,
                                payload={"outcome": "done", "type": "manual_email"})
                if not (final and spec.mode in ("bounced", "replied", "unsubscribed")):
                    self._engagement(enr, run, at)
            else:
                skipped = not final and rng.random() < 0.15
                if final and spec.mode == "meeting_booked":
                    outcome = "meeting_booked"
                elif step.type == StepType.CALL:
                    outcome = rng.choice(CALL_OUTCOMES)
                else:
                    outcome = "done"
                due = min(at, tl.at(days[pos], 9 * 60, otz))
                run = StepRun(enrollment=enr, step=step, position=pos, state=StepRunState.SKIPPED if skipped
                              else StepRunState.DONE, due_at=due, done_at=at, created_at=prev_at)
                task = self._task(p, step, run, enr, due, TaskStatus.SKIPPED if skipped else TaskStatus.DONE, at,
                                  None if skipped else outcome, SKIP_NOTES.get(step.type) if skipped else None)
                self._event("task_skipped" if skipped else "task_completed", at, enr, run, task=task,
                            user_id=owner.id, payload={"outcome": None if skipped else outcome,
                                                       "type": step.type.value})
            runs[pos] = run
            prev_at = at

        # 4. how it ended, or what it waits for
        last_run, last_at = runs.get(last_past), times.get(last_past)
        if spec.status == "exited":
            self._exit(spec, enr, p, last_run, last_at)
        elif spec.status == "finished":
            enr.ended_at = last_at + timedelta(minutes=1)
            self._event("finished", enr.ended_at, enr)
        elif spec.status == "paused":
            current = self._pause(spec, enr, p, last_run, last_at, steps, k)
        if current:
            self._current(enr, p, current, ctx, prev_at, mailbox)
        return enr

    def _engagement(self, enr: Enrollment, run: StepRun, at: datetime, before: datetime | None = None) -> None:
        """Opens (~45%) and clicks (~8%) after a send; `before` forces an open ahead of a reply."""
        rng, now = self.rng, self.tl.now
        if before is None and rng.random() >= 0.45:
            return
        opened = at + (before - at) / 3 if before else at + timedelta(minutes=rng.randrange(3, 1800))
        if opened >= now:
            return
        self._event("opened", opened, enr, run, payload={"user_agent": rng.choice(["Outlook", "Gmail", "Apple Mail"])})
        if rng.random() < 0.18:
            clicked = opened + timedelta(seconds=rng.randrange(5, 300))
            if clicked < now:
                self._event("clicked", clicked, enr, run, payload={"url": CASE_STUDY_URL})

    def _later(self, at: datetime, lo_min: int, hi_min: int) -> datetime:
        """A moment lo..hi minutes after `at`, pulled back to just before now if it would be in the future."""
        t = at + timedelta(minutes=self.rng.randrange(lo_min, hi_min))
        return t if t < self.tl.now else max(at + timedelta(seconds=30), self.tl.now - timedelta(minutes=2))

    def _exit(self, spec: Spec, enr: Enrollment, p: Prospect, run: StepRun, at: datetime) -> None:
        reason, rng, owner = spec.mode, self.rng, p.owner
        enr.exit_reason = reason
        if reason == "replied":
            when = self._later(at, 40, 1560)
            sentiment = rng.choice(SENTIMENTS)
            self._engagement(enr, run, at, before=when)
            ev = self._event("replied", when, enr, run, payload={"sentiment": sentiment})
            self.outcomes.append(Outcome("replied", enr, run, when, ev, {"sentiment": sentiment}))
            if sentiment == "positive":
                self._followup(p, enr, when)
        elif reason == "bounced":
            when = at + timedelta(seconds=rng.randrange(20, 240))
            p.status = ProspectStatus.BOUNCED
            ev = self._event("bounced", when, enr, run, payload={
                "type": "hard", "status": "5.1.1",
                "diagnostic": f"550 5.1.1 <{p.email}>: Recipient address rejected: User unknown"})
            self.outcomes.append(Outcome("bounced", enr, run, when, ev))
            self.suppress.append((p.email_normalized, "bounce"))
        elif reason == "unsubscribed":
            when = self._later(at, 15, 1200)
            p.status = ProspectStatus.UNSUBSCRIBED
            self._engagement(enr, run, at, before=when)
            ev = self._event("unsubscribed", when, enr, run, payload={"method": "one_click"})
            self.outcomes.append(Outcome("unsubscribed", enr, run, when, ev))
            self.suppress.append((p.email_normalized, "unsubscribe"))
        elif reason == "meeting_booked":
            when = at + timedelta(minutes=1)
            meeting = self.tl.in_window(self.tl.shift(when.date(), rng.randint(2, 5), p.country), p.timezone)
            credited = latest_email(enr.step_runs, when)  # a meeting counts for the last email received
            ev = self._event("meeting_booked", when, enr, credited, user_id=owner.id,
                             payload={"source": "call", "meeting_at": meeting.isoformat()})
            self.outcomes.append(Outcome("meeting_booked", enr, run, when, ev))
        else:
            when = self._later(at, 60, 1800)
            self._event("exited", when, enr, user_id=self.d.users["manager"].id,
                        payload={"reason": "manual", "note": rng.choice(MANUAL_EXIT_NOTES)})
        enr.ended_at = when

    def _followup(self, p: Prospect, enr: Enrollment, replied: datetime) -> None:
        tl, otz = self.tl, p.owner.timezone
        old = replied < tl.now - timedelta(days=2)
        due = replied + timedelta(hours=2) if old else tl.at(tl.shift(tl.today(otz), 1, p.country), 10 * 60, otz)
        task = Task(type=TaskType.REPLY_FOLLOWUP, status=TaskStatus.DONE if old else TaskStatus.OPEN,
                    owner=p.owner, prospect=p, due_at=due, priority=1,
                    title=gettext_in(self._lang(p), "Reply to %(name)s: interested, propose demo slots", name=p.name),
                    instructions=gettext_in(self._lang(p), "Positive reply. Offer two demo slots and loop in the CFO "
                                                           "if not on the thread."),
                    outcome="done" if old else None, completed_at=due if old else None, created_at=replied)
        self.tasks.append((task, None, enr))
        if old:
            self._event("task_completed", due, enr, task=task, user_id=p.owner.id,
                        payload={"outcome": "done", "type": "reply_followup"})

    def _pause(self, spec, enr, p, run, at, steps, k):
        tl, rng = self.tl, self.rng
        if spec.mode == "ooo":
            when = at + timedelta(minutes=rng.randrange(1, 15))
            back = tl.today(p.timezone) + timedelta(days=rng.randint(3, 12))
            ev = self._event("auto_replied", when, enr, run, payload={"return_date": back.isoformat()})
            self.outcomes.append(Outcome("auto_replied", enr, run, when, ev, {"return_date": back}))
            why = f"enrollment paused until {back:%a %d %b} (out of office)"
        else:
            when = self._later(at, 60, 1200)
            back = tl.today(p.timezone) + timedelta(days=rng.randint(14, 40))
            self._event("paused", when, enr, user_id=p.owner.id,
                        payload={"reason": "manual", "note": "Asked to reconnect after their budget round"})
            why = f"enrollment paused until {back:%a %d %b} (asked to reconnect after budget round)"
        enr.paused_until = tl.at(back, 0, p.timezone)
        if not tl.is_business_day(back, p.country):
            back = tl.shift(back, 1, p.country)
        return steps[k], tl.in_window(back, p.timezone), why

    def _current(self, enr, p, current, ctx, prev_at, mailbox) -> None:
        step, due, why = current
        position = step.position
        if step.type == StepType.AUTO_EMAIL or why is not None:
            StepRun(enrollment=enr, step=step, position=position, state=StepRunState.SCHEDULED, due_at=due,
                    why_waiting=why, mailbox_id=mailbox.id if step.type.is_email else None,
                    created_at=min(prev_at, self.tl.now))
            return
        run = StepRun(enrollment=enr, step=step, position=position, state=StepRunState.TASK_OPEN, due_at=due,
                      created_at=min(due, self.tl.now))
        draft = ""
        if step.type == StepType.MANUAL_EMAIL:
            subject, draft, _ = self.renderer.render(step.variants[0], p.persona.key if p.persona else None, ctx,
                                                     None)
            draft = f"Subject: {subject}\n\n{draft}"
        self._task(p, step, run, enr, due, TaskStatus.OPEN, None, None, draft=draft)
