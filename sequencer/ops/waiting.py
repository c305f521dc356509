"""Why a due email is not sent yet, in a few categories an operator can alert on (from `why_waiting`'s text)."""
from __future__ import annotations

from datetime import datetime

# (prefix or fragment of why_waiting, category); the first match wins
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("mailbox paused", "mailbox_paused"),
    ("mailbox daily limit", "daily_limit"),
    ("mailbox throttled", "throttled"),
    ("recipient domain limit", "domain_limit"),
    ("out of office", "sender_away"),
    ("retry after a soft bounce", "soft_bounce_retry"),
    ("claim expired", "claim_expired"),
    ("worker stopped", "worker_stopped"),
    ("queued again by", "requeued"),
    ("held:", "held"),
)
REASONS = ("not_dispatched", *dict.fromkeys(c for _, c in CATEGORIES), "other")


def category(why: str | None) -> str:
    """`not_dispatched` when no pass has looked at it (no reason given): cron or workers are the suspects."""
    if not why:
        return "not_dispatched"
    text = why.lower()
    for fragment, name in CATEGORIES:
        if fragment in text:
            return name
    return "other"


LABELS = {
    "not_dispatched": "Due", "mailbox_paused": "Mailbox paused", "daily_limit": "Daily limit",
    "throttled": "Throttled", "domain_limit": "Domain limit", "sender_away": "Sender away",
    "soft_bounce_retry": "Retrying", "claim_expired": "Claim expired", "worker_stopped": "Worker stopped",
    "requeued": "Queued again", "held": "Held", "other": "Waiting", "scheduled": "Scheduled",
}


def explain(why: str | None, due_at: datetime, now: datetime, held: bool = False) -> tuple[str, str]:
    """(short label, sentence) for one email still to go out: the stored reason when a pass gave one."""
    if held:
        return LABELS["held"], why or "held until someone fixes what it needs"
    if why:
        return LABELS[category(why)], why
    if due_at > now:
        return LABELS["scheduled"], "waits for its day and send window"
    return LABELS["not_dispatched"], "due now: the next dispatch pass hands it to a worker"
