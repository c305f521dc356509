"""How the UI says a service's refusal: the write is undone and the reason shown, as a flash or beside a field."""
from __future__ import annotations

from flask import flash

from sequencer.errors import DomainError
from sequencer.extensions import db
from sequencer.web.locale import say


def sentence(message: str) -> str:
    """`the enrolment is exited` → `The enrolment is exited.`"""
    message = message.strip()
    if not message:
        return message
    return message[:1].upper() + message[1:] + ("" if message.endswith((".", "!", "?")) else ".")


def flash_refusal(exc: DomainError, prefix: str = "", *, as_sentence: bool = False) -> None:
    """Roll back what the refused call wrote and tell the person why on the next page."""
    db.session.rollback()
    message = say(exc.message)
    flash(prefix + (sentence(message) if as_sentence else message), "error")


def field_errors(exc: DomainError, default_field: str = "") -> dict[str, str]:
    """One message per field, for a form to mark; a refusal without fields goes on `default_field`."""
    return {d.get("field") or default_field: say(d["message"]) for d in exc.details} or {default_field: say(exc.message)}
