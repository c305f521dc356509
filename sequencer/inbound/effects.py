"""What each kind of inbound message does to prospects, enrolments and tasks; every effect is an event.

Every event written here carries `inbound_message_id`, so the prospect's timeline and the
enrolment's page can show the message that caused it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sequencer.accounts.locales import locales_of
from sequencer.accounts.workspace import get_workspace
from sequencer.calendar import next_due
from sequencer.inbound.bounces.mailbox_health import Rejection, check_rates, record_sender_rejection
from sequencer.inbound.bounces.taxonomy import SENDER
from sequencer.inbound.classify import Verdict
from sequencer.inbound.match import latest_thread_email
from sequencer.inbound.parse import Parsed
from sequencer.models import (
    Enrollment,
    EnrollmentStatus,
    Event,
    InboundMessage,
    Mailbox,
    Prospect,
    StepRun,
    StepRunState,
    Task,
)
from sequencer.models.tasks import TaskType
from sequencer.outreach.enrollment import LIVE, exit_enrollment, pause, schedule_of
from sequencer.people.suppression.rules import complaint, hard_bounce, unsubscribe
from sequencer.platform.i18n import gettext_in
from sequencer.platform.timezones import day_start, zone
from sequencer.texts import tr

DEFAULT_AWAY = timedelta(days=7)
SOFT_BOUNCES_AS_HARD = 3
DELIVERY_EVIDENCE = ("opened", "clicked", "replied", "auto_replied")
SNIPPET = 2000


@dataclass
class Effect:
    resume_at: datetime | None = None
    summary: str = ""


REPLY_TITLES = {"referral": tr("Referral from %(name)s: %(subject)s"),
                "negative": tr("Negative reply from %(name)s: %(subject)s"),
                "positive": tr("Positive reply from %(name)s: %(subject)s"),
                "": tr("Reply from %(name)s: %(subject)s")}


def _event(session: Session, kind: str, inbound: InboundMessage, now: datetime, prospect: Prospect | None,
           enrollment: Enrollment | None, run: StepRun | None, **payload) -> None:
    session.add(Event(kind=kind, occurred_at=now, inbound_message_id=inbound.id,
                      prospect_id=prospect.id if prospect else None,
                      enrollment_id=enrollment.id if enrollment else None,
                      sequence_id=enrollment.sequence_id if enrollment else None,
                      step_id=run.step_id if run else None, step_run_id=run.id if run else None,
                      variant_id=run.variant_id if run else None, mailbox_id=run.mailbox_id if run else None,
                      payload=payload))


def _owner_id(prospect: Prospect, enrollment: Enrollment | None) -> int | None:
    if prospect.owner_id:
        return prospect.owner_id
    if enrollment is not None:
        return (enrollment.mailbox.owner_id if enrollment.mailbox else None) or enrollment.enrolled_by_id
    return None


def _reply(session: Session, inbound: InboundMessage, verdict: Verdict, parsed: Parsed, now: datetime) -> Effect:
    found = verdict.match
    prospect, enrollment = found.prospect, found.enrollment
    assert prospect is not None  # classify calls a message a reply only once it matched a prospect
    run = latest_thread_email(session, found.step_run) if found.step_run else None
    exited = False
    if enrollment is not None and enrollment.status in LIVE and enrollment.sequence.exit_on_reply:
        exit_enrollment(session, enrollment, now, "replied", inbound.id)
        exited = True
    one_off = {"one_off_email_id": found.one_off.id} if found.one_off else {}
    _event(session, "replied", inbound, now, prospect, enrollment, run, sentiment=verdict.sentiment,
           subject=parsed.subject[:300], rule=verdict.rule, **one_off)
    owner_id = _owner_id(prospect, enrollment)
    title = REPLY_TITLES.get(verdict.sentiment or "", REPLY_TITLES[""])  # in the owner's language: stored text
    session.add(Task(type=TaskType.REPLY_FOLLOWUP, owner_id=owner_id, prospect_id=prospect.id,
                     enrollment_id=enrollment.id if enrollment else None, priority=1, due_at=now,
                     title=gettext_in(locales_of(session, [owner_id])[owner_id], title.msgid, name=_name(prospect),
                                      subject=parsed.subject)[:300],
                     instructions=(parsed.reply_text or parsed.text)[:SNIPPET]))
    stopped = _stop_colleagues(session, prospect, now, inbound.id) if get_workspace(session).reply_stops_company else 0
    summary = tr("enrolment exited (replied)") if exited else tr("recorded")
    return Effect(summary=summary + ("; " + tr("%(count)s colleague enrolment(s) stopped", count=stopped) if stopped else ""))


def _name(prospect: Prospect) -> str:
    return f"{prospect.first_name} {prospect.last_name}".strip() or prospect.email


def _stop_colleagues(session: Session, prospect: Prospect, now: datetime, inbound_id: int) -> int:
    if prospect.company_id is None:
        return 0
    others = session.scalars(select(Enrollment).join(Prospect, Prospect.id == Enrollment.prospect_id).where(
        Prospect.company_id == prospect.company_id, Prospect.id != prospect.id, Enrollment.status.in_(LIVE))).all()
    for other in others:
        exit_enrollment(session, other, now, "colleague_replied", inbound_id)
    return len(others)


def resume_moment(enrollment: Enrollment, back: date | None, now: datetime) -> datetime:
    """One business day after the stated return day (in the prospect's calendar), else a week from now."""
    if back is None:
        return now + DEFAULT_AWAY
    prospect, schedule = enrollment.prospect, schedule_of(enrollment.sequence)
    start = day_start(back, zone(prospect.timezone, schedule.fallback_timezone))  # unknown name: the schedule's
    return max(next_due(start, 1, schedule, prospect.timezone, prospect.country).at, now + timedelta(hours=1))


def _auto_reply(session: Session, inbound: InboundMessage, verdict: Verdict, now: datetime) -> Effect:
    found = verdict.match
    enrollment = found.enrollment
    payload = {"return_date": verdict.return_date.isoformat() if verdict.return_date else None, "rule": verdict.rule}
    if verdict.left_company:
        if enrollment is not None and enrollment.status in LIVE:
            exit_enrollment(session, enrollment, now, "left_company", inbound.id)
        _event(session, "auto_replied", inbound, now, found.prospect, enrollment, found.step_run,
               left_company=True, **payload)
        return Effect(summary=tr("the person has left: enrolment exited"))
    resume_at = None
    summary = tr("no live enrolment")
    if enrollment is not None and enrollment.status in LIVE:
        resume_at = resume_moment(enrollment, verdict.return_date, now)
        if enrollment.status == EnrollmentStatus.ACTIVE:
            pause(session, enrollment, now, until=resume_at, reason="auto_reply", inbound_message_id=inbound.id)
            summary = tr("paused until %(when)s UTC", when=f"{resume_at:%Y-%m-%d %H:%M}")
        elif enrollment.paused_until and enrollment.paused_until < resume_at:  # paused: extend, never shorten
            enrollment.paused_until = resume_at
            summary = tr("pause extended to %(when)s UTC", when=f"{resume_at:%Y-%m-%d %H:%M}")
    _event(session, "auto_replied", inbound, now, found.prospect, enrollment, found.step_run,
           resume_at=resume_at.isoformat() if resume_at else None, **payload)
    return Effect(resume_at=resume_at, summary=summary)


def _soft_bounces_in_a_row(session: Session, prospect: Prospect) -> int:
    evidence = session.scalar(select(func.max(Event.occurred_at)).where(
        Event.prospect_id == prospect.id, Event.kind.in_(DELIVERY_EVIDENCE)))
    query = select(func.count()).select_from(Event).where(Event.prospect_id == prospect.id,
                                                          Event.kind == "soft_bounced")
    if evidence is not None:
        query = query.where(Event.occurred_at > evidence)
    return session.scalar(query) or 0


def _retry(session: Session, run: StepRun, now: datetime, why: str) -> datetime | None:
    """Send the same message again on the next business day (once its mailbox sends), unless the enrolment moved on."""
    enrollment = run.enrollment
    if enrollment.status != EnrollmentStatus.ACTIVE or run.state != StepRunState.SENT:
        return None
    later = session.scalars(select(StepRun).where(StepRun.enrollment_id == enrollment.id,
                                                  StepRun.position > run.position)).all()
    if any(r.state != StepRunState.SCHEDULED for r in later):
        return None
    session.execute(delete(StepRun).where(StepRun.id.in_([r.id for r in later])))
    for r in later:
        session.expunge(r)
    prospect = enrollment.prospect
    due = next_due(now, 1, schedule_of(enrollment.sequence), prospect.timezone, prospect.country)
    run.state, run.due_at, run.why_waiting = StepRunState.SCHEDULED, due.at, why[:500]
    run.sent_at = run.done_at = run.send_started_at = run.claimed_by = run.lease_until = None
    return due.at


def _bounce(session: Session, inbound: InboundMessage, verdict: Verdict, now: datetime) -> Effect:
    found, bounce = verdict.match, verdict.bounce
    assert bounce is not None  # classify sets it on every "bounce" verdict
    if bounce.klass == SENDER:
        return _sender_side(session, inbound, verdict, now)
    prospect = found.prospect
    if prospect is None:
        return Effect(summary=tr("no prospect with that address"))
    detail = bounce.diagnostic or bounce.status or "delivery failed"
    if not bounce.hard:
        _event(session, "soft_bounced", inbound, now, prospect, found.enrollment, found.step_run, **bounce.as_detail())
        session.flush()
        in_a_row = _soft_bounces_in_a_row(session, prospect)
        if in_a_row < SOFT_BOUNCES_AS_HARD:
            retry_at = _retry(session, found.step_run, now, f"retry after a soft bounce: {detail}") \
                if found.step_run is not None else None
            return Effect(resume_at=retry_at, summary=tr("soft bounce %(count)s/%(limit)s", count=in_a_row,
                                                         limit=SOFT_BOUNCES_AS_HARD - 1)
                          + ("; " + tr("retry at %(when)s UTC", when=f"{retry_at:%Y-%m-%d %H:%M}") if retry_at else ""))
        detail = f"{in_a_row} soft bounces in a row (last: {detail})"
    hard_bounce(session, prospect, now, detail, step_run=found.step_run, inbound_message_id=inbound.id,
                status=bounce.status, reason=bounce.reason, mta=bounce.mta,
                **{"class": bounce.klass if bounce.hard else "soft (3 in a row)"})
    check_rates(session, _mailbox_of(session, inbound, found.step_run), now)
    return Effect(summary=tr("hard bounce: prospect bounced, address suppressed, enrolments exited"))


def _mailbox_of(session: Session, inbound: InboundMessage, run: StepRun | None) -> Mailbox | None:
    mailbox_id = (run.mailbox_id if run is not None else None) or inbound.mailbox_id
    return session.get(Mailbox, mailbox_id) if mailbox_id else None


def _sender_side(session: Session, inbound: InboundMessage, verdict: Verdict, now: datetime) -> Effect:
    """Our mailbox or domain was refused: the prospect is untouched, the mailbox counts it, the step goes again."""
    bounce, run = verdict.bounce, verdict.match.step_run
    assert bounce is not None
    mailbox = _mailbox_of(session, inbound, run)
    paused = record_sender_rejection(
        session, mailbox, Rejection(bounce.reason, bounce.status, bounce.diagnostic, bounce.mta, bounce.recipient),
        now, inbound_message_id=inbound.id, step_run_id=run.id if run else None,
        enrollment_id=run.enrollment_id if run else None)
    retry_at = _retry(session, run, now, f"sender-side rejection ({bounce.reason}): sent again once the mailbox sends")\
        if run is not None else None
    summary: str = tr("sender-side rejection (%(reason)s): prospect untouched, counted against the mailbox",
                 reason=bounce.reason)
    if paused and mailbox is not None:
        summary += "; " + tr("mailbox paused: %(reason)s", reason=mailbox.paused_reason)
    return Effect(resume_at=retry_at, summary=summary + (
        "; " + tr("step goes again at %(when)s UTC", when=f"{retry_at:%Y-%m-%d %H:%M}") if retry_at else ""))


def _complaint(session: Session, inbound: InboundMessage, verdict: Verdict, now: datetime) -> Effect:
    """A spam complaint: complained, suppressed, every enrolment exited; counted against the mailbox."""
    prospect, run, report = verdict.match.prospect, verdict.match.step_run, verdict.bounce
    assert report is not None
    if prospect is None:
        return Effect(summary=tr("complaint about no prospect we know"))
    done = complaint(session, prospect, now, step_run=run, inbound_message_id=inbound.id,
                     feedback_type=report.feedback_type, mta=report.mta)
    if done and run is None:  # tie it to the mailbox that sent to them, for its complaint rate
        mailbox = _mailbox_of(session, inbound, None)
        for event in session.scalars(select(Event).where(Event.inbound_message_id == inbound.id,
                                                         Event.kind == "complained")):
            event.mailbox_id = event.mailbox_id or (mailbox.id if mailbox else None)
    if done:
        check_rates(session, _mailbox_of(session, inbound, run), now)
    return Effect(summary=tr("complaint: prospect complained, suppressed, enrolments exited") if done
                  else tr("already complained"))


def apply(session: Session, inbound: InboundMessage, verdict: Verdict, parsed: Parsed, now: datetime) -> Effect:
    kind = verdict.classification
    if kind == "reply":
        return _reply(session, inbound, verdict, parsed, now)
    if kind == "auto_reply":
        return _auto_reply(session, inbound, verdict, now)
    if kind == "bounce":
        return _bounce(session, inbound, verdict, now)
    if kind == "complaint":
        return _complaint(session, inbound, verdict, now)
    if kind == "unsubscribe":
        prospect = verdict.match.prospect
        assert prospect is not None  # classify calls it an unsubscribe only once it matched a prospect
        done = unsubscribe(session, prospect, now, "reply", step_run=verdict.match.step_run,
                           inbound_message_id=inbound.id)
        return Effect(summary=tr("unsubscribed, suppressed, enrolments exited") if done else tr("already unsubscribed"))
    return Effect(summary=tr("no effect"))
