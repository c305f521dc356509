"""A form's welcome email as a one-step sequence of its own, so it goes through the normal sending pipeline
(claims, the rep's mailbox, at-most-once, tracking, unsubscribe) at any hour the lead arrives."""
from __future__ import annotations

from sqlalchemy.orm import Session

from sequencer.models import Form, Sequence, SequenceStatus
from sequencer.sequences.authoring import create_sequence, reached_step_ids, replace_sequence, set_status

ANY_TIME = {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "window_start": "00:00",
            "window_end": "23:59", "holidays": None, "fallback_timezone": "UTC"}
GREETING = "Hi {{ prospect.first_name | default('there', true) }},\n\n"
SIGN_OFF = "\n\nBest,\n{{ sender.name }}"


def _literal(text: str) -> str:
    """A manager's text inside a template: no braces or percent signs, so it can never become template code."""
    return "".join(c for c in text if c not in "{}%")


def content(form: Form) -> tuple[str, str]:
    """(subject, body) by kind: the file for a content download, a booking note for a demo request."""
    name = _literal(form.name)
    if form.kind == "content_download":
        return (f"Your download: {name}",
                f"Thanks for downloading {name}. Here is your copy:\n{_literal(form.content_url or '')}")
    if form.kind == "demo_request":
        note = (f"Pick a time that suits you here: {_literal(form.booking_url)}" if form.booking_url
                else "I will be in touch shortly to find a time that suits you.")
        return "Your demo request", f"Thanks for asking for a demo. {note}"
    if form.kind == "webinar":
        return f"You are registered: {name}", f"Thanks for registering for {name}. We will send the link before it starts."
    if form.kind == "newsletter":
        return "Welcome aboard", "Thanks for subscribing. You will hear from us when there is something worth reading."
    return "Thanks for getting in touch", "Thanks for your message. I will get back to you shortly."


def _payload(form: Form) -> dict:
    subject, body = content(form)
    return {"name": f"Form welcome: {_literal(form.name)}"[:200],
            "description": "The welcome email of a website form (sent from the owner's mailbox the moment the lead arrives).",
            "schedule": dict(ANY_TIME), "exit_on_reply": True, "track_opens": True, "track_clicks": True,
            "steps": [{"type": "auto_email", "wait_days": 0, "thread": False, "instructions": "",
                       "variants": [{"label": "A", "weight": 100, "subject": subject,
                                     "body": GREETING + body + SIGN_OFF, "by_persona": {}}]}]}


def sync(session: Session, form: Form, owner_id: int | None) -> Sequence:
    """Create the welcome sequence, or bring its text up to date (a step already sent stays; a new one replaces it)."""
    data = _payload(form)
    seq = session.get(Sequence, form.welcome_sequence_id) if form.welcome_sequence_id else None
    if seq is None:
        seq = create_sequence(session, data, owner_id)
        set_status(session, seq, SequenceStatus.ACTIVE)
        form.welcome_sequence_id = seq.id
        session.flush()
        return seq
    if reached_step_ids(session, seq):
        seq.name = data["name"]
        return seq
    return replace_sequence(session, seq, data)
