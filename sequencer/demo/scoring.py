"""Lead scoring in the demo: website and webinar signals on a few dozen prospects, scored through the real
ingest (so the sales-ready ones get their hand-off tasks), fit rules on seniority and market, and decay."""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from itertools import zip_longest

from sqlalchemy.orm import Session

from sequencer.models import Prospect, ProspectStatus, User
from sequencer.scoring import config, decay, ingest, rescore

SITE = "https://kvitas-demo.com"
PAGES = ["/pricing", "/pricing/enterprise", "/product/approvals", "/blog/month-end-close", "/customers"]
# (activities as (kind, days ago), how many prospects get this pattern)
PATTERNS = [
    ([("demo_requested", 1), ("page_view", 1), ("webinar_attended", 6)], 2),  # hot: 55
    ([("demo_requested", 2), ("content_download", 4), ("page_view", 9)], 2),  # hot: 50
    ([("webinar_attended", 3), ("content_download", 5)], 6),  # warm: 35
    ([("page_view", 2), ("content_download", 12)], 8),  # warming up: 25
    ([("demo_requested", 75), ("page_view", 74)], 4),  # went quiet: 35, decayed to 15
]
FIT_RULES = [
    {"key": "senior_buyer", "kind": "fit", "match": {"field": "seniority", "in": ["c_level", "vp", "director"]},
     "points": 20, "label": "senior buyer"},
    {"key": "home_markets", "kind": "fit", "match": {"field": "country", "in": ["LT", "DE"]}, "points": 10,
     "label": "home market"},
]


def _item(p: Prospect, kind: str, days: float, now: datetime, rng: random.Random, n: int) -> dict:
    at = now - timedelta(days=days, minutes=rng.randint(5, 600))
    path = PAGES[0] if kind == "page_view" and rng.random() < 0.8 else rng.choice(PAGES)
    props = {"url": SITE + path, "title": path.strip("/").replace("/", " · ").title()} if kind == "page_view" else {
        "title": {"content_download": "Month-end close playbook (PDF)", "webinar_attended": "Close the month in days",
                  "demo_requested": "Demo request form"}.get(kind, kind)}
    return {"prospect_id": p.id, "kind": kind, "occurred_at": at.isoformat(), "properties": props,
            "external_id": f"demo-{p.id}-{kind}-{n}"}


def build_scoring(session: Session, prospects: list[Prospect], manager: User, rng: random.Random,
                  now: datetime) -> int:
    """Score the demo; returns how many prospects became sales-ready (each with its hand-off task)."""
    data = config.current(session).as_dict()
    data["rules"] += FIT_RULES
    config.save(session, data, manager)
    by_owner: dict = {}
    for p in prospects:
        if p.status == ProspectStatus.ACTIVE:
            by_owner.setdefault(p.owner_id, []).append(p)
    for people in by_owner.values():
        rng.shuffle(people)
    pool = [p for group in zip_longest(*by_owner.values()) for p in group if p is not None]  # owners take turns
    items, start = [], 0
    for pattern, count in PATTERNS:
        for p in pool[start:start + count]:
            items += [_item(p, kind, days, now, rng, n) for n, (kind, days) in enumerate(pattern)]
        start += count
    items += [{"email": f"visitor{n}@unknown-demo.com", "kind": "page_view", "occurred_at": (now - timedelta(days=n))
               .isoformat(), "properties": {"url": SITE + "/pricing"}} for n in range(1, 4)]  # not prospects yet
    rescore.rescore_all(session, now)  # fit for everyone
    result = ingest.receive(session, items, now)
    rescore.pending(session, now)  # opens, clicks, replies and meetings from the demo's sequences
    decay.run(session, now)
    return len(result.prospect_ids)
