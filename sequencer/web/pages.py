"""Shared view helpers: the viewer's time zone, template filters and the sidebar's badges."""
from __future__ import annotations

import contextlib
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext
from flask_login import current_user

from sequencer.platform.i18n import format_when
from sequencer.platform.timezones import zone
from sequencer.web import web_bp
from sequencer.web.locale import current


def viewer_zone() -> ZoneInfo:
    return zone(getattr(current_user, "timezone", None))


@web_bp.app_template_filter("localtime")
def localtime(value: datetime | None, fmt: str = "%d %b %Y, %H:%M", tz: ZoneInfo | None = None) -> str:
    """Times are stored in UTC and shown in the viewer's own time zone (as stored, at the ends of the calendar)."""
    if value is None:
        return "—"
    with contextlib.suppress(OverflowError):  # 9999-12-31 23:00 UTC is already year 10000 east of Greenwich
        value = value.astimezone(tz or viewer_zone())
    return format_when(value, fmt, current())


@web_bp.app_template_filter("humanize")
def humanize(value: object) -> str:
    """`linkedin_connect` → `Linkedin connect` for enum values shown to people."""
    text = getattr(value, "value", value)
    label = str(text or "").replace("_", " ").capitalize()
    return gettext(label) if label else label  # the labels are marked in web/enum_labels.py


@web_bp.app_template_filter("val")
def enum_value(value: object) -> str:
    return str(getattr(value, "value", value) or "")


@web_bp.app_context_processor
def nav_context() -> dict:
    """The sidebar's badges: callables, so only pages that draw the sidebar run the COUNTs
    (error pages must render even when the database is down)."""
    from sequencer.web.inbound import attention_count as inbound_attention_count
    from sequencer.web.send_review import attention_count, paused_own_mailboxes
    from sequencer.web.tasks import due_today_count

    def nav_task_count() -> int:
        return due_today_count(current_user) if current_user.is_authenticated else 0

    def nav_attention_count() -> int:
        return attention_count(current_user)

    def nav_inbound_count() -> int:
        return inbound_attention_count(current_user)

    def own_paused_mailboxes() -> list:
        return paused_own_mailboxes(current_user)

    return {"nav_task_count": nav_task_count, "nav_attention_count": nav_attention_count,
            "nav_inbound_count": nav_inbound_count, "own_paused_mailboxes": own_paused_mailboxes}
