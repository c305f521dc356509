"""Routing: ordered rules, then a weighted round-robin that skips reps on time off or at their daily cap and
keeps its memory when the team changes; and two workers never assign one submission twice."""
from __future__ import annotations

import threading
from collections import Counter
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.extensions import db
from sequencer.forms import definitions, routing
from sequencer.forms.process import process
from sequencer.mail.sending import settings_for
from sequencer.models import FormRotation, FormSubmission, Task
from sequencer.platform import clock
from tests.forms.helpers import good_post, make_form


def _pick(session, form, n):
    picks = []
    for _ in range(n):
        choice = routing.round_robin(session, form, clock.now())
        picks.append(choice.user.id if choice.user else None)
    session.commit()
    return picks


def test_weighted_round_robin_shares_by_weight(session, factory):
    a, b = factory.user("rep"), factory.user("rep")
    form = make_form(session, factory.user("manager"),
                     routing={"round_robin": [{"user_id": a.id, "weight": 2}, {"user_id": b.id, "weight": 1}]})
    assert Counter(_pick(session, form, 9)) == {a.id: 6, b.id: 3}


def test_time_off_and_daily_cap_are_skipped_with_the_reason(session, factory):
    away, capped, free = factory.user("rep"), factory.user("rep"), factory.user("rep")
    today = clock.now().date()
    factory.time_off(away, date(today.year, today.month, today.day), days=2)
    form = make_form(session, factory.user("manager"), routing={"daily_cap": 1, "round_robin": [
        {"user_id": away.id, "weight": 1}, {"user_id": capped.id, "weight": 1}, {"user_id": free.id, "weight": 1}]})
    session.add(FormSubmission(form_id=form.id, email="x@acme.com", owner_id=capped.id, assigned_at=clock.now()))
    session.commit()
    choice = routing.round_robin(session, form, clock.now())
    assert choice.user.id == free.id
    assert "on time off" in choice.reason and "daily cap of 1" in choice.reason


def test_team_change_does_not_reset_the_rotation_or_flood_the_newcomer(session, factory):
    a, b, c = factory.user("rep"), factory.user("rep"), factory.user("rep")
    manager = factory.user("manager")
    form = make_form(session, manager, [a, b])
    _pick(session, form, 10)
    data = {"name": form.name, "kind": form.kind, "fields": form.fields, "booking_url": form.booking_url,
            "routing": {"round_robin": [{"user_id": u.id, "weight": 1} for u in (a, b, c)]}}
    definitions.update(session, form, data, manager)
    session.commit()
    assert Counter(_pick(session, form, 6)) == {a.id: 2, b.id: 2, c.id: 2}  # the newcomer starts at the share
    counts = dict(session.execute(select(FormRotation.user_id, FormRotation.assigned)).all())
    assert counts == {a.id: 7, b.id: 7, c.id: 7}


def test_rules_in_order_then_round_robin(session, factory):
    lt, cfo_rep, pool = factory.user("rep"), factory.user("rep"), factory.user("rep")
    form = make_form(session, factory.user("manager"), routing={
        "rules": [{"field": "country", "in": ["LT", "LV"], "user_id": lt.id},
                  {"field": "persona", "in": ["cfo"], "user_id": cfo_rep.id}],
        "round_robin": [{"user_id": pool.id, "weight": 1}]})
    assert routing.route(session, form, {"country": "LT", "persona": "cfo"}, clock.now()).user.id == lt.id
    choice = routing.route(session, form, {"country": "DE", "persona": "cfo"}, clock.now())
    assert choice.user.id == cfo_rep.id and choice.reason == "rule 2: persona is cfo"
    assert routing.route(session, form, {"country": "DE"}, clock.now()).user.id == pool.id


def test_two_workers_never_assign_the_same_submission_twice(app, client, session, factory):
    reps = [factory.user("rep") for _ in range(2)]
    for rep in reps:
        factory.mailbox(owner_id=rep.id)
    form = make_form(session, factory.user("manager"), reps)
    client.post(f"/f/{form.key}", json=good_post(app, form))
    sub_id = session.scalar(select(FormSubmission.id))
    results, barrier = [], threading.Barrier(2)

    def worker():
        with app.app_context(), Session(db.engine) as own:
            barrier.wait()
            results.append(process(own, sub_id, settings_for(app.config)).status)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == ["processed", "skipped"]
    session.expire_all()
    assert session.scalar(select(func.count(Task.id))) == 1
    assert session.scalar(select(func.sum(FormRotation.assigned))) == 1
