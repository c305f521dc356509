"""The event catalogue, and which types an endpoint's patterns ("deal.*", "email.replied", "*") select."""
from __future__ import annotations

from sequencer.errors import Invalid
from sequencer.texts import tr

TYPES: tuple[str, ...] = (
    "prospect.created", "prospect.updated", "prospect.owner_changed", "prospect.unsubscribed",
    "prospect.bounced", "prospect.complained", "prospect.erased", "prospect.score_changed", "prospect.sales_ready",
    "enrollment.created", "enrollment.paused", "enrollment.resumed", "enrollment.exited", "enrollment.finished",
    "email.sent", "email.opened", "email.clicked", "email.replied", "email.bounced",
    "task.created", "task.completed", "task.skipped",
    "deal.created", "deal.stage_changed", "deal.won", "deal.lost", "deal.stale",
    "form.submitted",
)
FAMILIES = sorted({t.split(".")[0] for t in TYPES})


def clean_patterns(patterns: object, field: str = "events") -> list[str]:
    """A non-empty list of known types, `family.*` or `*`; anything else is refused by name."""
    if not isinstance(patterns, list) or not patterns:
        raise Invalid.field(field, tr("name at least one event type, e.g. \"deal.*\""))
    out: list[str] = []
    for raw in patterns:
        value = str(raw).strip()
        ok = value == "*" or value in TYPES or (value.endswith(".*") and value[:-2] in FAMILIES)
        if not ok:
            raise Invalid.field(field, tr("unknown event type %(value)s", value=repr(value)))
        if value not in out:
            out.append(value)
    return out


def matches(patterns: list[str], event_type: str) -> bool:
    family = event_type.split(".")[0]
    return any(p == "*" or p == event_type or p == f"{family}.*" for p in patterns)
