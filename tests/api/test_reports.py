"""GET /sequences/{id}/report keeps the contract; managers set experiment settings and declare winners."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from sequencer.models import ExperimentDecision, StepRun
from sequencer.outreach.enrol import enroll
from sequencer.platform import clock
from tests.reports.helpers import ab_sequence, event, sent_run

CONTRACT_STEP = {"position", "type", "sent", "opened", "clicked", "replied", "bounced", "unsubscribed", "meetings",
                 "tasks_done", "variants"}
CONTRACT_VARIANT = {"label", "sent", "replied", "reply_rate", "ci_low", "ci_high", "prob_best"}


def _seq(factory, session):
    seq = ab_sequence(session)
    a, b = seq.steps[0].variants
    for i in range(6):
        run = sent_run(session, seq, factory.prospect(), 1, a if i % 2 else b)
        if i in (0, 2):
            event(session, "replied", run, sentiment="positive")
    session.commit()
    return seq


def test_report_keeps_the_contract(api, factory, session):
    seq = _seq(factory, session)
    res = api("manager").get(f"/api/v1/sequences/{seq.id}/report")  # reps: 403, like the report pages
    assert res.status_code == 200
    steps = res.get_json()["steps"]
    assert [s["position"] for s in steps] == [1, 2, 3]
    assert set(steps[0]) >= CONTRACT_STEP
    a, b = steps[0]["variants"]
    assert set(a) >= CONTRACT_VARIANT
    assert (b["label"], b["sent"], b["replied"], b["reply_rate"]) == ("B", 3, 2, round(2 / 3, 4))
    assert b["ci_low"] < b["reply_rate"] < b["ci_high"] and b["prob_best"] > a["prob_best"]
    assert steps[0]["personas"][0]["persona"] == "No persona" and steps[0]["ready"] is False


def test_unknown_sequence_is_404(api):
    assert api("manager").get("/api/v1/sequences/999/report").status_code == 404


def test_settings_are_validated_and_saved(api, client, factory, session):
    seq = _seq(factory, session)
    manager = api("manager")
    url = f"/api/v1/sequences/{seq.id}/steps/1/experiment"
    res = client.patch(url, json={"primary_metric": "opens", "holdout_pct": 80}, headers=manager.headers)
    assert res.status_code == 422
    fields = {d["field"] for d in res.get_json()["error"]["details"]}
    assert fields == {"primary_metric", "holdout_pct"}
    res = client.patch(url, json={"primary_metric": "meeting", "auto_promote": True, "holdout_pct": 10,
                                  "min_sample": 50}, headers=manager.headers)
    assert res.status_code == 200
    body = res.get_json()
    assert (body["primary_metric"], body["auto_promote"], body["holdout_pct"], body["min_sample"]) == \
        ("meeting", True, 10, 50)
    rep = api("rep")
    assert client.patch(url, json={"auto_promote": False}, headers=rep.headers).status_code == 403


def test_declared_winner_stops_the_other_variants(api, factory, session):
    seq = _seq(factory, session)
    a, b = seq.steps[0].variants
    res = api("manager").post(f"/api/v1/sequences/{seq.id}/steps/1/winner", json={"variant_id": b.id, "override": True})
    assert res.status_code == 201
    body = res.get_json()
    assert body["kind"] == "declared" and body["variant_id"] == b.id
    assert [v["sent"] for v in body["numbers"]["variants"]] == [3, 3]
    session.expire_all()
    assert (a.active, b.active, b.promoted_at is not None) == (False, True, True)
    rep = factory.user("rep")
    box = factory.mailbox(owner_id=rep.id)
    prospects = [factory.prospect() for _ in range(20)]
    now = datetime(2026, 11, 25, 9, tzinfo=UTC)
    with clock.frozen(now):
        result = enroll(session, seq, [p.id for p in prospects], actor=rep, now=now, mailbox_id=box.id)
    new = session.scalars(select(StepRun).where(StepRun.enrollment_id.in_([e for e, _ in result.enrolled]))).all()
    assert len(new) == 20 and {r.variant_id for r in new} == {b.id}
    assert session.scalar(select(ExperimentDecision.kind)) == "declared"


def test_winner_must_belong_to_the_step(api, factory, session):
    seq = _seq(factory, session)
    other = seq.steps[2].variants[0]
    res = api("manager").post(f"/api/v1/sequences/{seq.id}/steps/1/winner", json={"variant_id": other.id})
    assert res.status_code == 422 and res.get_json()["error"]["details"][0]["field"] == "variant_id"
    assert api("rep").post(f"/api/v1/sequences/{seq.id}/steps/1/winner", json={"variant_id": 1}).status_code == 403
