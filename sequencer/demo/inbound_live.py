"""Answers that arrive while the demo is being built, fed through the real inbound pipeline.

The historic replies in the demo are written as finished rows; these four go through
`sequencer.inbound.service.ingest` exactly as mail from IMAP would, so a fresh demo shows the
pipeline's own work: a reply that ended an enrolment, an out-of-office that paused one until the
stated return date, a hard bounce and an unsubscribe request.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.demo.pipeline import dsn_bytes, message_bytes
from sequencer.inbound.service import ingest
from sequencer.models import Enrollment, EnrollmentStatus, Prospect, ProspectStatus, StepRun, StepRunState

SEED = 5


def _candidates(session: Session) -> list[tuple[Enrollment, StepRun]]:
    """Active enrolments whose last email went out, one per company, oldest enrolment first."""
    rows = session.execute(
        select(Enrollment, StepRun).join(StepRun, StepRun.enrollment_id == Enrollment.id)
        .join(Prospect, Prospect.id == Enrollment.prospect_id)
        .where(Enrollment.status == EnrollmentStatus.ACTIVE, Prospect.status == ProspectStatus.ACTIVE,
               StepRun.state == StepRunState.SENT, StepRun.message_id.is_not(None))
        .order_by(Enrollment.id, StepRun.position.desc())).all()
    seen_enrollments, seen_companies, out = set(), set(), []
    for enrollment, run in rows:
        company = enrollment.prospect.company_id
        if enrollment.id in seen_enrollments or company in seen_companies or enrollment.mailbox is None:
            continue
        seen_enrollments.add(enrollment.id)
        seen_companies.add(company)
        out.append((enrollment, run))
    return out


def _message(enrollment: Enrollment, run: StepRun, kind: str, when: datetime, rng: random.Random) -> bytes:
    p, mailbox = enrollment.prospect, enrollment.mailbox
    who, ours = f"{p.first_name} {p.last_name} <{p.email}>", f"{mailbox.name} <{mailbox.email}>"
    quoted = "\n".join(f"> {line}" for line in (run.body_text or "").splitlines()[:12])
    if kind == "reply":
        body = (f"Hi {mailbox.name.split()[0]},\n\nThanks, this is relevant for us right now. Could we talk on "
                f"Thursday afternoon?\n\n{p.first_name}\n\nOn {run.sent_at:%a, %d %b %Y}, {mailbox.name} wrote:\n{quoted}")
        return message_bytes(who, ours, f"Re: {run.subject}", body, when, run.message_id, rng)[0]
    if kind == "auto_reply":
        back = (when + timedelta(days=12)).date()
        body = (f"Thank you for your email. I am out of the office until {back:%d %B %Y} with limited access "
                f"to email and will reply when I am back.\n\n{p.first_name} {p.last_name}")
        return message_bytes(who, ours, f"Automatic reply: {run.subject}", body, when, run.message_id, rng,
                             {"Auto-Submitted": "auto-replied"})[0]
    if kind == "bounce":
        return dsn_bytes(p, mailbox.email, run.message_id, when)[0]
    body = f"Not interested, please stop emailing me.\n\n{p.first_name}\n\nOn {run.sent_at:%a, %d %b %Y} wrote:\n{quoted}"
    return message_bytes(who, ours, f"Re: {run.subject}", body, when, run.message_id, rng)[0]


def answer_live(session: Session, now: datetime) -> int:
    """Ingest one reply, one dated out-of-office, one hard bounce and one unsubscribe request; returns how many."""
    rng = random.Random(SEED)
    kinds = ("reply", "auto_reply", "bounce", "unsubscribe")
    picked = _candidates(session)[:len(kinds)]
    for kind, (enrollment, run) in zip(kinds, picked, strict=False):  # fewer candidates: fewer kinds
        when = now - timedelta(minutes=rng.randint(20, 90))  # arrived and processed a little while ago
        ingest(session, _message(enrollment, run, kind, when, rng), source="imap", now=when,
               mailbox_id=enrollment.mailbox_id)
    return len(picked)
