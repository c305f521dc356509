"""A mailbox or webhook form's refusal as its reader reads it: in another language, the field names the service
gives (`smtp_host`) become the form's own labels; in English the message stays exactly as the API says it."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sequencer.errors import DomainError
from sequencer.platform.i18n import DEFAULT_LOCALE
from sequencer.texts import tr
from sequencer.web.locale import current, say

LABELS = {
    "email": _l("Email"), "name": _l("Sender name"), "transport": _l("Transport"), "owner_id": _l("Owner"),
    "smtp_host": _l("SMTP host"), "smtp_port": _l("SMTP port"), "smtp_security": _l("Security"),
    "smtp_username": _l("SMTP username"), "smtp_password": _l("SMTP password"), "daily_limit": _l("Daily limit"),
    "min_interval_seconds": _l("Min interval (seconds)"), "imap_host": _l("IMAP host"), "imap_port": _l("IMAP port"),
    "imap_security": _l("Security"), "imap_username": _l("IMAP username"), "imap_password": _l("IMAP password"),
    "imap_folders": _l("Extra folders"), "to": _l("Recipient"), "url": _l("URL"), "events": _l("Events"),
    "description": _l("Description"), "since": _l("From"), "until": _l("Until"), "client_id": _l("Client ID"),
    "client_secret": _l("Client secret"), "tenant": _l("Tenant"), "authorize_url": _l("Authorization endpoint"),
    "token_url": _l("Token endpoint"), "tracking_domain": _l("Tracking domain"), "dkim_selector": _l("Selector"),
}


def said_refusal(exc: DomainError) -> str:
    """The refusal for the page: each field by its label (the first three, as the service's own message does)."""
    if current() == DEFAULT_LOCALE or not exc.details:
        return say(exc.message)
    parts = []
    for detail in exc.details[:3]:
        field, message = detail.get("field"), detail["message"]
        if field in LABELS:
            parts.append(f"{LABELS[field]}: {say(message)}")
        else:
            parts.append(say(tr("%(field)s: %(message)s", field=field, message=message) if field else message))
    return "; ".join(parts)
