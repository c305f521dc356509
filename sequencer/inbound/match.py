"""Tie an inbound message to the prospect, enrolment and email of ours it answers.

In order, the first that finds something wins (the method is stored with the message):
1. `in_reply_to` / `references`: the Message-IDs of the thread (newest first) against the ones we sent
   (sequence emails first, then reps' one-off emails);
   for a bounce, the Message-ID of the original it embeds.
2. `sender_subject`: a provider rewrote the thread headers: the sender is a prospect and the subject,
   without Re:/AW:/Fwd: prefixes, is the subject of an email we sent them (the latest one counts).
3. `sender`: the sender (or, for a bounce, the failed recipient) is a prospect: their live enrolment.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.models import Enrollment, OneOffEmail, Prospect, StepRun, StepRunState
from sequencer.outreach.enrollment import LIVE

_PREFIX = re.compile(r"^\s*((re|aw|sv|antw|fw|fwd|wg|tr|ats|atsk|rv)\s*(\[\d+\])?\s*:\s*)+", re.I)


@dataclass
class Match:
    method: str | None = None
    prospect: Prospect | None = None
    enrollment: Enrollment | None = None
    step_run: StepRun | None = None  # the email of ours this message answers (or bounced)
    one_off: OneOffEmail | None = None  # or the rep's one-off email it answers


def thread_subject(subject: str) -> str:
    """A subject as a thread key: prefixes, brackets and spacing don't matter."""
    return re.sub(r"\s+", " ", _PREFIX.sub("", subject or "")).strip().lower()


def _by_message_ids(session: Session, ids: list[str]) -> StepRun | None:
    if not ids:
        return None
    runs = {r.message_id: r for r in session.scalars(select(StepRun).where(StepRun.message_id.in_(ids[:200])))}
    for message_id in ids:
        if message_id in runs:
            return runs[message_id]
    return None


def _prospects(session: Session, addresses: list[str]) -> list[Prospect]:
    wanted = [a.strip().lower() for a in addresses if a and "@" in a][:50]
    if not wanted:
        return []
    found = {p.email_normalized: p for p in session.scalars(select(Prospect).where(Prospect.email_normalized.in_(wanted)))}
    return [found[a] for a in dict.fromkeys(wanted) if a in found]


def _sent_to(session: Session, prospect: Prospect) -> list[StepRun]:
    """Emails that went to the prospect, newest first."""
    return list(session.scalars(
        select(StepRun).join(Enrollment, Enrollment.id == StepRun.enrollment_id)
        .where(Enrollment.prospect_id == prospect.id, StepRun.message_id.is_not(None),
               StepRun.sent_at.is_not(None))
        .order_by(StepRun.sent_at.desc(), StepRun.id.desc())))


def live_enrollment(session: Session, prospect: Prospect) -> Enrollment | None:
    return session.scalars(select(Enrollment).where(Enrollment.prospect_id == prospect.id,
                                                    Enrollment.status.in_(LIVE))
                           .order_by(Enrollment.created_at.desc(), Enrollment.id.desc()).limit(1)).first()


def _from_run(run: StepRun, method: str) -> Match:
    return Match(method=method, prospect=run.enrollment.prospect, enrollment=run.enrollment, step_run=run)


def _one_off_by_message_ids(session: Session, ids: list[str]) -> OneOffEmail | None:
    """A rep's one-off email this thread answers (no enrolment, no step run of its own)."""
    if not ids:
        return None
    # keyed by the selected column, which is fresher than an already loaded object's attribute
    rows: dict = dict(session.execute(select(OneOffEmail.message_id, OneOffEmail)
                                      .where(OneOffEmail.message_id.in_(ids[:200]))).all())
    return next((rows[m] for m in ids if m in rows), None)


def match(session: Session, *, thread_ids: list[str], senders: list[str], subject: str) -> Match:
    """`thread_ids`: newest first; `senders`: addresses that may be the prospect, most likely first."""
    run = _by_message_ids(session, thread_ids)
    if run is not None:
        return _from_run(run, "in_reply_to")
    one_off = _one_off_by_message_ids(session, thread_ids)
    if one_off is not None:  # their live enrolment, as when only the sender is known: a reply is a reply
        return Match(method="in_reply_to", prospect=one_off.prospect,
                     enrollment=live_enrollment(session, one_off.prospect), one_off=one_off)
    prospects = _prospects(session, senders)
    key = thread_subject(subject)
    if key:
        for prospect in prospects:
            for sent in _sent_to(session, prospect):
                if thread_subject(sent.subject or "") == key:
                    return _from_run(sent, "sender_subject")
    if prospects:
        prospect = prospects[0]
        return Match(method="sender", prospect=prospect, enrollment=live_enrollment(session, prospect))
    return Match()


def latest_thread_email(session: Session, run: StepRun) -> StepRun:
    """The newest email of the enrolment's thread that the prospect received (what a reply counts for)."""
    latest = run
    for newer in session.scalars(select(StepRun).where(
            StepRun.enrollment_id == run.enrollment_id, StepRun.position > run.position,
            StepRun.state == StepRunState.SENT).order_by(StepRun.position)):
        if not newer.step.thread:
            break  # a new subject starts a new thread
        latest = newer
    return latest
