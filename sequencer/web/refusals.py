"""How the UI says a service's refusal: the write is undone and the reason shown, as a flash or beside a field."""
from __future__ import annotations

from flask import flash
from flask_babel import gettext, lazy_gettext

from sequencer.errors import DomainError
from sequencer.extensions import db
from sequencer.platform.i18n import DEFAULT_LOCALE
from sequencer.web.locale import current, say

# form fields a refusal names, as another language's reader reads them (English keeps the field's own name,
# which is also what the API says); the msgid is the field's name
FIELD_NAMES = {
    "email": lazy_gettext("email"), "name": lazy_gettext("name"), "role": lazy_gettext("role"),
    "password": lazy_gettext("password"), "timezone": lazy_gettext("timezone"),
    "expires_in_days": lazy_gettext("expires_in_days"), "days": lazy_gettext("days"),
    "window_start": lazy_gettext("window_start"), "window_end": lazy_gettext("window_end"),
    "fallback_timezone": lazy_gettext("fallback_timezone"), "default_locale": lazy_gettext("default_locale"),
    "tracked_link_domains": lazy_gettext("tracked_link_domains"),
}


def sentence(message: str) -> str:
    """`the enrolment is exited` → `The enrolment is exited.`"""
    message = message.strip()
    if not message:
        return message
    return message[:1].upper() + message[1:] + ("" if message.endswith((".", "!", "?")) else ".")


def refusal_text(exc: DomainError) -> str:
    """The refusal's message in the reader's language, each field it names by its label there."""
    if current() == DEFAULT_LOCALE or not any(d.get("field") for d in exc.details):
        return say(exc.message)
    return "; ".join(gettext("%(field)s: %(message)s", field=str(FIELD_NAMES.get(d["field"], d["field"])),
                             message=say(d["message"])) if d.get("field") else say(d["message"])
                     for d in exc.details[:3])


def flash_refusal(exc: DomainError, prefix: str = "", *, as_sentence: bool = False) -> None:
    """Roll back what the refused call wrote and tell the person why on the next page."""
    db.session.rollback()
    message = say(exc.message)
    flash(prefix + (sentence(message) if as_sentence else message), "error")


def field_errors(exc: DomainError, default_field: str = "") -> dict[str, str]:
    """One message per field, for a form to mark; a refusal without fields goes on `default_field`."""
    return {d.get("field") or default_field: say(d["message"]) for d in exc.details} or {default_field: say(exc.message)}
