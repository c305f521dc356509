"""What the prospect page shows for events caused by inbound mail: a link for managers, the words for reps.

Managers and admins open the stored message on the Inbound page. Reps can't (it is admin/manager
only), yet they must see why their enrolment stopped or paused: so the subject and the start of
the reply are shown inline, escaped by the template, to the reps who own the prospect or the
enrolment, and to nobody else.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext
from sqlalchemy import select
from sqlalchemy.orm import defer

from sequencer.accounts.permissions import is_manager
from sequencer.extensions import db
from sequencer.inbound.parse import parse
from sequencer.inbound.views import readable_text
from sequencer.models import Enrollment, Event, InboundMessage, Prospect, User

# the timeline's event kinds as `|humanize` shows them, marked so the catalogue has them
EVENT_WORDS = (
    lazy_gettext("Sent"), lazy_gettext("Opened"), lazy_gettext("Clicked"), lazy_gettext("Replied"),
    lazy_gettext("Bounced"), lazy_gettext("Soft bounced"), lazy_gettext("Unsubscribed"), lazy_gettext("Complained"),
    lazy_gettext("Enrolled"), lazy_gettext("Exited"), lazy_gettext("Paused"), lazy_gettext("Resumed"),
    lazy_gettext("Finished"), lazy_gettext("Auto replied"), lazy_gettext("Call logged"),
    lazy_gettext("Task completed"), lazy_gettext("Task skipped"), lazy_gettext("Task reopened"),
    lazy_gettext("Note"), lazy_gettext("Meeting booked"), lazy_gettext("Stage changed"), lazy_gettext("Page view"),
    lazy_gettext("Score changed"), lazy_gettext("Sales ready"), lazy_gettext("Form submitted"),
    lazy_gettext("Merged"), lazy_gettext("Lead reassigned"), lazy_gettext("Lead escalated"),
    lazy_gettext("Held out"), lazy_gettext("Send failed"), lazy_gettext("Send uncertain"),
    lazy_gettext("Stale reminder"), lazy_gettext("Won"), lazy_gettext("Lost"), lazy_gettext("Content download"),
    lazy_gettext("Webinar registered"), lazy_gettext("Webinar attended"), lazy_gettext("Demo requested"),
    lazy_gettext("Custom"),
)

SNIPPET_CHARS = 300
MAX_SNIPPETS = 20  # each one parses a stored message; a long history shows the newest ones
CAUSES = ("replied", "auto_replied", "soft_bounced", "bounced", "unsubscribed", "complained")


def snippet(row: InboundMessage, limit: int = SNIPPET_CHARS) -> str:
    """What the sender wrote (quoted history dropped), blank lines squeezed, cut at about `limit` characters."""
    parsed = parse(row.raw)
    text = (parsed.reply_text or parsed.text) if parsed.parsed else readable_text(row)
    text = re.sub(r"\n\s*\n+", "\n", text.replace("\r", "")).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(None, 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,.;:") + "…"


def message_notes(events: list[Event], prospect: Prospect, user: User,
                  readable_enrollments: set[int]) -> dict[int, dict]:
    """Per inbound message behind an event: its subject, a link flag for managers, or a snippet for owning reps."""
    ids = {e.inbound_message_id for e in events if e.inbound_message_id}
    if not ids:
        return {}
    manager = is_manager(user)
    readable = {e.inbound_message_id for e in events if e.inbound_message_id and (
        manager or prospect.owner_id == user.id or e.enrollment_id in readable_enrollments)}
    rows = db.session.scalars(select(InboundMessage).where(InboundMessage.id.in_(ids))
                              .options(defer(InboundMessage.raw)).order_by(InboundMessage.id.desc())).all()
    notes, parsed = {}, 0
    for row in rows:
        note = {"id": row.id, "subject": row.subject if row.id in readable else None, "link": manager,
                "snippet": None, "hidden": row.id not in readable}
        if not manager and row.id in readable and parsed < MAX_SNIPPETS:
            note["snippet"], parsed = snippet(row), parsed + 1
        notes[row.id] = note
    return notes


def enrollment_causes(events: list[Event], enrollments: list[Enrollment]) -> dict[int, Event]:
    """Per enrolment, the inbound event that stopped or paused it (the newest up to its end), for its header."""
    ended = {e.id: e.ended_at for e in enrollments}
    causes: dict[int, Event] = {}
    for event in events:  # newest first
        if not (event.inbound_message_id and event.enrollment_id and event.kind in CAUSES):
            continue
        end = ended.get(event.enrollment_id)
        if end is None or event.occurred_at <= end:  # a reply after the exit did not cause it
            causes.setdefault(event.enrollment_id, event)
    return causes
