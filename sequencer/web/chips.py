"""Step-type chips and sidebar icons as template globals: drawn dozens of times per page, so built once in Python
(a Jinja macro call per row was a measurable share of the task queue's render time)."""
from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext
from markupsafe import Markup, escape

from sequencer.web import web_bp
from sequencer.web.locale import current

STEP_META = {
    "auto_email": ("chip-email", "✉", lazy_gettext("Email")),
    "manual_email": ("chip-email", "✎", lazy_gettext("Manual email")),
    "call": ("chip-call", "☎", lazy_gettext("Call")),
    "linkedin_view": ("chip-linkedin", "in", lazy_gettext("View profile")),
    "linkedin_connect": ("chip-linkedin", "in", lazy_gettext("Connect")),
    "linkedin_message": ("chip-linkedin", "in", lazy_gettext("LinkedIn message")),
    "task": ("chip-task", "✓", lazy_gettext("Task")),
    "reply_followup": ("chip-email", "↩", lazy_gettext("Reply follow-up")),
    "fix_data": ("chip-task", "!", lazy_gettext("Fix data")),
    "stale_opportunity": ("chip-task", "€", lazy_gettext("Stale deal")),
    "todo": ("chip-task", "✓", lazy_gettext("To-do")),
    "sales_ready": ("chip-call", "★", lazy_gettext("Sales-ready")),
    "speed_to_lead": ("chip-call", "⚡", lazy_gettext("New lead")),
}

ICON_PATHS = {
    "home": '<path d="M2.5 7.2L8 2.5l5.5 4.7V13a.5.5 0 01-.5.5H9.5V10h-3v3.5H3a.5.5 0 01-.5-.5z"/>',
    "sequences": '<path d="M2 4h12M2 8h8M2 12h5"/>',
    "prospects": '<circle cx="6" cy="5.5" r="2.5"/><path d="M1.5 13.5c.6-2.3 2.3-3.5 4.5-3.5s3.9 1.2 4.5 3.5"/>'
                 '<path d="M11 3.5a2.2 2.2 0 010 4.2M12.5 10.3c1 .5 1.7 1.6 2 3.2"/>',
    "personas": '<rect x="2" y="2.5" width="12" height="11" rx="2"/><circle cx="6" cy="7" r="1.6"/>'
                '<path d="M3.8 11.2c.4-1.2 1.2-1.8 2.2-1.8s1.8.6 2.2 1.8M10 6.5h2M10 9h2"/>',
    "tasks": '<rect x="2" y="2" width="12" height="12" rx="2.5"/><path d="M5 8.2l2 2 4-4.4"/>',
    "pipeline": '<rect x="2" y="2.5" width="3.2" height="11" rx="1"/>'
                '<rect x="6.4" y="2.5" width="3.2" height="7.5" rx="1"/><rect x="10.8" y="2.5" width="3.2" height="4.5" rx="1"/>',
    "team": '<circle cx="5" cy="6" r="2"/><circle cx="11" cy="6" r="2"/>'
            '<path d="M1.5 13c.5-2 1.8-3 3.5-3s3 1 3.5 3M7.5 13c.5-2 1.8-3 3.5-3s3 1 3.5 3"/>',
    "goals": '<circle cx="8" cy="8" r="6"/><circle cx="8" cy="8" r="3.2"/><circle cx="8" cy="8" r=".6"/>',
    "reports": '<path d="M2.5 13.5h11M4.5 11V7.5M8 11V4M11.5 11V6"/>',
    "outbox": '<path d="M2 9.5l1.6-5.2A1 1 0 014.6 3.6h6.8a1 1 0 011 .7L14 9.5V12a1.5 1.5 0 01-1.5 1.5h-9A1.5 1.5 0 012 12z"/>'
              '<path d="M2 9.5h3.5l1 1.5h3l1-1.5H14"/>',
    "inbound": '<path d="M2 9.5l1.6-5.2A1 1 0 014.6 3.6H6M10 3.6h1.4a1 1 0 011 .7L14 9.5V12'
               'a1.5 1.5 0 01-1.5 1.5h-9A1.5 1.5 0 012 12z"/><path d="M2 9.5h3.5l1 1.5h3l1-1.5H14M8 2v5.5M6 5.5l2 2 2-2"/>',
    "deliverability": '<path d="M8 1.8l5 2v3.7c0 3.2-2.1 5.6-5 6.7-2.9-1.1-5-3.5-5-6.7V3.8z"/><path d="M5.8 8l1.6 1.6 2.9-3"/>',
    "settings": '<circle cx="8" cy="8" r="2"/><path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4'
                'M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4"/>',
}


@web_bp.app_template_global()
def step_chip(type_: object, short: bool = False) -> Markup:
    """A step or task type as a coloured chip: icon, and the type's name unless `short`."""
    return _chip(str(getattr(type_, "value", type_) or ""), short, current())


@cache
def _chip(value: str, short: bool, locale: str) -> Markup:
    """Cached per reader's language (`locale` is the cache key; the lazy label is said in it)."""
    css, glyph, label = STEP_META.get(value, ("chip-task", "•", value.replace("_", " ").capitalize()))
    label = str(label)
    text = "" if short else Markup(" ") + escape(label)
    return Markup('<span class="chip {}" title="{}"><span class="ico">{}</span>{}</span>').format(
        css, label, glyph, text)


@web_bp.app_template_global()
def icon(name: str) -> Markup:
    """A sidebar line icon by name (an empty one for an unknown name)."""
    return Markup('<svg class="icon" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.5" '
                  'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">'
                  f'{ICON_PATHS.get(name, "")}</svg>')
