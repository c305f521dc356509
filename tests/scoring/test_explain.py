"""The reasons people read: biggest gains first, decay after, fit kept out of the engagement line."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sequencer.scoring import config, decay, explain, ingest

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_summary_of_a_decayed_prospect_keeps_its_biggest_reasons(session, factory):
    data = config.current(session).as_dict()
    data["rules"].append({"key": "home", "kind": "fit", "match": {"field": "country", "in": ["LT"]}, "points": 10,
                          "label": "home market"})
    config.save(session, data, factory.user("manager"))
    p = factory.prospect(country="LT", timezone="Europe/Vilnius")
    old = NOW - timedelta(days=75)
    ingest.receive(session, [{"prospect_id": p.id, "kind": "demo_requested", "occurred_at": old.isoformat()},
                             {"prospect_id": p.id, "kind": "page_view", "occurred_at": (old + timedelta(days=1))
                              .isoformat(), "properties": {"url": "https://x.example/pricing"}}], NOW)
    decay.run(session, NOW)
    reasons = explain.reasons(session, p.id, NOW)
    assert explain.summary(reasons, NOW) == ("+25 demo request, 75 days ago \u00b7 +10 pricing page, 74 days ago \u00b7 "
                                             "\u221210 no activity for 30 days \u00b7 \u221210 no activity for 60 days")
    assert [r.text for r in reasons if r.kind == "fit"] == ["home market (fit)"]
