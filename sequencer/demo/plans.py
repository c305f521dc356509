"""What happens to each demo enrolment, as data: sequence, owner, final state, step reached, flavour.

`k` is the current step for active enrolments, and the last step performed for the others. The
lists are tuned so the rep's queue has ~9 tasks due today and a few overdue, every enrolment state
and exit reason appears, and step 1's B variant out-replies A (~14% vs ~7%).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Spec:
    seq: str
    owner: str
    status: str  # active | paused | finished | exited
    mode: str    # active: today|overdue|future|fresh; paused: ooo|manual; exited: the reason
    k: int
    variant: str | None = None  # forces the step-1 variant (A/B reply-rate story)


_TABLE = {
    ("outbound", "rep"): [
        ("active", "today", [3, 2, 5, 6, 7, 3, 2, 5]),
        ("active", "overdue", [3, 5, 7]),
        ("active", "future", [4, 4, 8, 4, 2, 3, 5, 7, 4, 8, 2, 4, 3, 5]),
        ("active", "fresh", [1, 1, 1, 1]),
        ("paused", "ooo", [1, 4, 1]),
        ("paused", "manual", [4, 1]),
        ("finished", "", [8] * 10),
        ("exited", "replied", [1, 1, 1, 1, 1, 1, 4, 8]),
        ("exited", "bounced", [1, 1, 1]),
        ("exited", "unsubscribed", [1, 4]),
        ("exited", "meeting_booked", [3, 7, 3, 3]),
        ("exited", "manual", [2, 5, 6]),
    ],
    ("outbound", "rep2"): [
        ("active", "today", [3, 2]),
        ("active", "overdue", [5]),
        ("active", "future", [4, 8, 2, 4, 7, 3, 4]),
        ("active", "fresh", [1, 1]),
        ("paused", "ooo", [1, 4]),
        ("finished", "", [8] * 5),
        ("exited", "replied", [1, 1, 1, 4]),
        ("exited", "bounced", [1]),
        ("exited", "unsubscribed", [1]),
        ("exited", "meeting_booked", [3]),
        ("exited", "manual", [5]),
    ],
    ("reengage", "rep"): [
        ("active", "today", [2]),
        ("active", "future", [3, 3, 4, 2]),
        ("active", "fresh", [1]),
        ("paused", "ooo", [1]),
        ("finished", "", [4] * 3),
        ("exited", "replied", [1, 3]),
        ("exited", "unsubscribed", [1]),
        ("exited", "bounced", [1]),
    ],
    ("reengage", "rep2"): [
        ("active", "today", [4]),
        ("active", "overdue", [2]),
        ("active", "future", [3, 4, 2]),
        ("active", "fresh", [1]),
        ("paused", "manual", [1]),
        ("finished", "", [4, 4]),
        ("exited", "replied", [1]),
        ("exited", "bounced", [1]),
        ("exited", "meeting_booked", [4]),
    ],
}

def specs() -> dict[str, list[Spec]]:
    """Specs per owner key, in table order (today's tasks first, so the named prospects get them)."""
    variants = iter(["A", "B", "B", "A", "B", "B", "A", "B", "B"])  # step-1 replies: 3 on A, 6 on B
    out: dict[str, list[Spec]] = {}
    for (seq, owner), rows in _TABLE.items():
        for status, mode, positions in rows:
            for k in positions:
                forced = next(variants) if (seq, mode, k) == ("outbound", "replied", 1) else None
                out.setdefault(owner, []).append(Spec(seq, owner, status, mode, k, forced))
    return out
