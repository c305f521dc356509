"""A score with its reasons: the API's ledger view and the short lines people read on the prospect page."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.models import Prospect, ScoreEntry
from sequencer.scoring import config
from sequencer.scoring.config import DEFAULT_RULES, Rules
from sequencer.texts import Text, tr

# the playbook's own rule labels, said in the reader's language (labels a manager wrote stay as written)
DEFAULT_LABELS: dict[str, str] = {str(rule["label"]): rule["label"] for rule in DEFAULT_RULES}  # type: ignore[misc]


def score_of(session: Session, prospect: Prospect) -> dict:
    """{fit, engagement, sales_ready, sales_ready_at, ledger}: every ledger line, oldest first."""
    lines = session.scalars(select(ScoreEntry).where(ScoreEntry.prospect_id == prospect.id)
                            .order_by(ScoreEntry.at, ScoreEntry.id)).all()
    return {"fit": prospect.score_fit, "engagement": prospect.score_engagement, "sales_ready": prospect.sales_ready,
            "sales_ready_at": prospect.sales_ready_at, "ledger": list(lines)}


@dataclass
class Reason:
    points: int
    text: str
    at: datetime
    kind: str


def ago(at: datetime, now: datetime) -> Text:
    days = (now - at).days
    if days <= 0:
        return tr("today")
    return tr("yesterday") if days == 1 else tr("%(num)s days ago", num=days)


def _text(key: str, kind: str, rules: Rules) -> str:
    if key.startswith("decay_") and key.endswith("d"):
        return tr("no activity for %(num)s days", num=key[6:-1])
    if key == "floor":
        return tr("never below zero")
    label = rules.label(key)
    label = DEFAULT_LABELS.get(label, label)
    return tr("%(label)s (fit)", label=label) if kind == "fit" else label


def reasons(session: Session, prospect_id: int, now: datetime, limit: int = 12) -> list[Reason]:
    """Net points per activity and rule (corrections folded in), newest first: "+25 demo request, 3 days ago"."""
    net: dict[tuple, int] = defaultdict(int)
    when: dict[tuple, datetime] = {}
    lines = session.scalars(select(ScoreEntry).where(ScoreEntry.prospect_id == prospect_id)
                            .order_by(ScoreEntry.id)).all()
    if not lines:  # most prospects in a rep's queue: no need to read the rules for their labels (a page's query)
        return []
    rules = config.current(session)
    for line in lines:
        key = (line.kind, line.activity_id, line.rule_key) if line.kind != "decay" else ("decay", line.id, line.rule_key)
        net[key] += line.points
        when[key] = line.at
    out = [Reason(pts, _text(key[2], key[0], rules), when[key], key[0]) for key, pts in net.items() if pts]
    out.sort(key=lambda r: r.at, reverse=True)
    return out[:limit]


def summary(items: list[Reason], now: datetime, limit: int = 4) -> str:
    """One line of engagement (fit has its own lines), biggest gains first: "+25 demo request, 3 days ago · +10 pricing page, today · −10 no activity
    for 30 days"."""
    line: str = ""
    for r in sorted((r for r in items if r.kind != "fit"), key=lambda r: (r.points < 0, -abs(r.points)))[:limit]:
        sign = f"+{r.points}" if r.points > 0 else f"\u2212{-r.points}"
        part = tr("%(points)s %(reason)s", points=sign, reason=r.text) if r.kind != "engagement" else \
            tr("%(points)s %(reason)s, %(when)s", points=sign, reason=r.text, when=ago(r.at, now))
        line = tr("%(left)s \u00b7 %(right)s", left=line, right=part) if line else part
    return line
