"""The activity kinds: those the API accepts, and those Sequencer records from its own events."""
from __future__ import annotations

API_KINDS = ("page_view", "content_download", "webinar_registered", "webinar_attended", "demo_requested",
             "form_submitted", "custom")
# Sequencer's own events (sequencer.scoring.own_events) become these activities
OWN_KINDS = ("email_opened", "email_clicked", "email_replied", "meeting_booked", "call_connected")
ALL_KINDS = API_KINDS + OWN_KINDS
FIT = "fit"  # the `kind` of a rule about who the prospect is rather than what they did

# fit rule fields and the words that make a title senior
FIT_FIELDS = ("persona", "seniority", "country", "company_size", "industry")
SENIORITY = (
    ("c_level", ("chief", "ceo", "cfo", "cto", "coo", "cmo", "cio", "founder", "owner", "president")),
    ("vp", ("vp", "vice president", "head of")),
    ("director", ("director",)),
    ("manager", ("manager", "lead")),
)


def seniority(title: str | None) -> str | None:
    """c_level, vp, director or manager from the words of a job title; None when it says none of them."""
    words = f" {(title or '').lower().replace(',', ' ').replace('-', ' ')} "
    for level, keys in SENIORITY:
        if any(f" {k} " in words for k in keys):
            return level
    return None
