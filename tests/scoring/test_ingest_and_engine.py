"""Activities in and the engagement they earn: defaults, idempotency, per-item errors, caps, anonymous attach."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from sequencer.models import Activity, Prospect, ScoreEntry
from sequencer.people.prospects import create_prospect
from sequencer.platform import clock
from sequencer.scoring import config, ingest

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def at(days_ago: float = 0) -> str:
    return (NOW - timedelta(days=days_ago)).isoformat()


def ledger_sum(session, pid: int) -> int:
    return session.scalar(select(func.coalesce(func.sum(ScoreEntry.points), 0))
                          .where(ScoreEntry.prospect_id == pid))


def test_playbook_defaults_score_each_kind(session, factory):
    p = factory.prospect()
    items = [{"prospect_id": p.id, "kind": "page_view", "occurred_at": at(1),
              "properties": {"url": "https://acme.example/pricing?plan=pro"}},
             {"prospect_id": p.id, "kind": "page_view", "occurred_at": at(1),
              "properties": {"url": "https://acme.example/login?next=/pricing"}},  # only the query has it
             {"prospect_id": p.id, "kind": "page_view", "occurred_at": at(1), "properties": {"url": "https://a.example/"}},
             {"prospect_id": p.id, "kind": "content_download", "occurred_at": at(1)},
             {"prospect_id": p.id, "kind": "webinar_attended", "occurred_at": at(1)}]
    result = ingest.receive(session, items, NOW)
    session.refresh(p)
    assert result.accepted == 5 and result.errors == []
    assert p.score_engagement == 10 + 15 + 20  # the path, not the query, must contain /pricing
    assert p.score_engagement + p.score_fit == ledger_sum(session, p.id)
    assert p.last_activity_at == NOW - timedelta(days=1)


def test_replayed_batch_changes_nothing(session, factory):
    p = factory.prospect()
    batch = [{"prospect_id": p.id, "kind": "demo_requested", "occurred_at": at(), "external_id": "crm-1"},
             {"prospect_id": p.id, "kind": "demo_requested", "occurred_at": at(), "external_id": "crm-1"}]
    first = ingest.receive(session, batch, NOW)
    second = ingest.receive(session, batch, NOW)
    assert (first.accepted, first.duplicates) == (1, 1)
    assert (second.accepted, second.duplicates) == (0, 2)
    session.refresh(p)
    assert p.score_engagement == 25
    assert session.scalar(select(func.count(Activity.id))) == 1


def test_bad_items_are_refused_one_by_one_and_good_ones_kept(session, factory):
    p = factory.prospect()
    items = [{"prospect_id": p.id, "kind": "telepathy", "occurred_at": at()},
             {"prospect_id": p.id, "kind": "demo_requested", "occurred_at": (NOW + timedelta(days=1)).isoformat()},
             {"prospect_id": p.id, "kind": "demo_requested", "occurred_at": at(800)},
             {"prospect_id": p.id, "kind": "demo_requested", "occurred_at": "yesterday"},
             {"prospect_id": 999999, "kind": "demo_requested", "occurred_at": at()},
             {"email": "not an email", "kind": "demo_requested", "occurred_at": at()},
             {"prospect_id": p.id, "kind": "demo_requested", "occurred_at": at()}]
    result = ingest.receive(session, items, NOW)
    assert result.accepted == 1
    assert [(e["index"], e["field"]) for e in result.errors] == [
        (0, "kind"), (1, "occurred_at"), (2, "occurred_at"), (3, "occurred_at"), (4, "prospect_id"), (5, "email")]


def test_a_batch_over_the_limit_keeps_the_first_thousand(session, factory):
    p = factory.prospect()
    items = [{"prospect_id": p.id, "kind": "custom", "occurred_at": at()} for _ in range(1002)]
    result = ingest.receive(session, items, NOW)
    assert result.accepted == 1000
    assert [e["index"] for e in result.errors] == [1000, 1001]


def test_anonymous_activity_is_attached_when_the_prospect_appears(session, factory):
    actor = factory.user("rep")
    result = ingest.receive(session, [{"email": " Jonas@Future.example ", "kind": "demo_requested",
                                       "occurred_at": at(2)}], NOW)
    assert (result.accepted, result.anonymous) == (1, 1)
    with clock.frozen(NOW):
        prospect = create_prospect(session, {"email": "jonas@future.example"}, actor)
    session.refresh(prospect)
    assert prospect.score_engagement == 25
    assert session.scalar(select(Activity.prospect_id)) == prospect.id


def test_max_times_and_group_caps(session, factory):
    p = factory.prospect()
    data = config.current(session).as_dict()
    data["groups"] = [{"key": "web", "cap": 25}]
    data["rules"][0].update(group="web")  # pricing page
    data["rules"].append({"key": "any_page", "kind": "page_view", "match": {}, "points": 1, "max_times": 3,
                          "group": None})
    config.save(session, data, factory.user("manager"))
    views = [{"prospect_id": p.id, "kind": "page_view", "occurred_at": at(i / 10),
              "properties": {"url": "https://x.example/pricing"}} for i in range(5)]
    ingest.receive(session, views, NOW)
    session.refresh(p)
    assert p.score_engagement == 25 + 3  # pricing capped at the group's 25, any_page paid 3 times
    assert p.score_engagement == ledger_sum(session, p.id)


def test_fit_rules_score_who_the_prospect_is(session, factory):
    data = config.current(session).as_dict()
    data["rules"] += [{"key": "senior", "kind": "fit", "match": {"field": "seniority", "in": ["c_level", "vp"]},
                       "points": 20},
                      {"key": "baltics", "kind": "fit", "match": {"field": "country", "in": ["LT", "LV", "EE"]},
                       "points": 10},
                      {"key": "big", "kind": "fit", "match": {"field": "company_size", "in": ["201-500"]},
                       "points": 5}]
    config.save(session, data, factory.user("manager"))
    company = factory.company(size="201-500", industry="Logistics")
    with clock.frozen(NOW):
        p = create_prospect(session, {"email": "cfo@fit.example", "title": "Chief Financial Officer",
                                      "country": "LT", "company": company.name, "company_domain": company.domain},
                            factory.user("rep"))
    session.refresh(p)
    assert (p.score_fit, p.score_engagement) == (35, 0)
    assert ledger_sum(session, p.id) == 35
    assert session.get(Prospect, p.id).sales_ready is False


def test_erasing_a_person_erases_their_activities_and_ledger(session, factory):
    from sequencer.people.erasure import erase_prospect

    p = factory.prospect(email="gone@erase.example")
    ingest.receive(session, [{"prospect_id": p.id, "kind": "demo_requested", "occurred_at": at()},
                             {"email": "gone@erase.example", "kind": "page_view", "occurred_at": at()}], NOW)
    session.execute(Activity.__table__.update().values(prospect_id=None).where(Activity.kind == "page_view"))
    erase_prospect(session, p, factory.user("admin"), NOW)
    assert session.scalar(select(func.count(Activity.id))) == 0
    assert session.scalar(select(func.count(ScoreEntry.id))) == 0


def test_fit_follows_an_edit_of_the_prospect(session, factory):
    from sequencer.people.prospects import update_prospect

    data = config.current(session).as_dict()
    data["rules"].append({"key": "senior", "kind": "fit", "match": {"field": "seniority", "in": ["vp"]}, "points": 15})
    manager = factory.user("manager")
    config.save(session, data, manager)
    p = factory.prospect(title="Accountant")
    update_prospect(session, p, {"title": "VP Finance"}, manager, now=NOW)
    session.refresh(p)
    assert p.score_fit == 15 == ledger_sum(session, p.id)
