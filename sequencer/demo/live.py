"""A demo sequence that sends while you watch: webinar follow-ups go out any day, through the real pipeline.

The other demo sequences keep business hours, so on a weekend or at night nothing of theirs is
due; these enrolments are made with the real enrolment service and are due within minutes.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from sequencer.models import Prospect, ProspectStatus, Sequence, SequenceStatus, Step, StepType, User, Variant
from sequencer.outreach.enrol import enroll

ANY_DAY = {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "window_start": "00:00",
           "window_end": "23:59", "holidays": None, "fallback_timezone": "Europe/Vilnius"}

THANKS = """Hi {{ prospect.first_name }},

thanks for joining our webinar on closing the month in days. The recording and the slides are here:
https://kvitas-demo.com/webinar/month-end-close

If {{ company.name }} wants to see how approvals work with {{ prospect.fields.erp | default("your ERP") }},
reply and I'll set up 20 minutes.
"""

NUDGE = """{{ prospect.first_name }}, one question after the webinar: how many people touch an invoice
before it's approved at {{ company.name }} today?"""


def webinar_sequence(owner: User) -> Sequence:
    seq = Sequence(name="Webinar follow-up (inbound, any day)", status=SequenceStatus.ACTIVE,
                   owner_id=owner.id, schedule=dict(ANY_DAY), exit_on_reply=True, track_opens=True,
                   track_clicks=True,
                   description="Automatic thank-you after a webinar sign-up, then a nudge and a call.")
    seq.steps = [
        Step(position=1, type=StepType.AUTO_EMAIL, wait_days=0, variants=[
            Variant(label="A", weight=100, subject="The recording: month-end close in days", body=THANKS)]),
        Step(position=2, type=StepType.AUTO_EMAIL, wait_days=2, thread=True,
             variants=[Variant(label="A", weight=100, subject="", body=NUDGE)]),
        Step(position=3, type=StepType.CALL, wait_days=2,
             instructions="They attended the webinar: ask what made them sign up, offer a tailored demo."),
    ]
    return seq


def enrol_webinar_attendees(session: Session, seq: Sequence, candidates: list[Prospect], now: datetime,
                            per_owner: int = 3) -> int:
    """Enrol a few not-yet-enrolled prospects per rep; their thank-you is due now."""
    enrolled = 0
    by_owner: dict[int, list[Prospect]] = {}
    for p in candidates:
        if p.status == ProspectStatus.ACTIVE and p.owner is not None:
            by_owner.setdefault(p.owner.id, []).append(p)
    for people in by_owner.values():
        chosen = people[:per_owner]
        result = enroll(session, seq, [p.id for p in chosen], actor=chosen[0].owner, now=now)
        enrolled += len(result.enrolled)
    return enrolled
