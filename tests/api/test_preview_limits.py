"""Templates that cannot render: refused at save when that is knowable, previews answer 422 with the reason."""
import tracemalloc

from sequencer.models import Sequence, SequenceStatus, Step, StepType, Variant
from tests.api.sequence_payloads import four_step_ab


def _saved_directly(session, body: str) -> Sequence:
    """A sequence stored before save-time checks existed (or by a path that skips them)."""
    seq = Sequence(name="Old", status=SequenceStatus.ACTIVE)
    seq.steps = [Step(position=1, type=StepType.AUTO_EMAIL, variants=[Variant(label="A", subject="Hi", body=body)])]
    session.add(seq)
    session.commit()
    return seq


def test_a_template_that_cannot_render_for_anyone_is_refused_at_save(api, factory, session):
    factory.persona("cfo", name="CFO")
    factory.persona("cto", name="CTO")
    session.commit()
    payload = four_step_ab()
    payload["steps"][0]["variants"][0]["body"] = "Hi {{ 'a' * 10 ** 9 }}"
    res = api("manager").post("/api/v1/sequences", json=payload)
    assert res.status_code == 422, res.json
    (detail,) = res.json["error"]["details"]
    assert detail["step"] == 1 and detail["variant"] == "A" and detail["field"] == "body"
    assert "cannot be rendered" in detail["message"] and "exceed" in detail["message"]


def test_preview_of_a_value_too_long_for_the_email_is_422_with_the_reason(api, factory, session):
    seq = _saved_directly(session, "Hi {{ prospect.fields.notes }}")
    prospect = factory.prospect(fields={"notes": "x" * 250_000})
    session.commit()
    res = api("rep").get(f"/api/v1/sequences/{seq.id}/steps/1/preview?prospect_id={prospect.id}")
    assert res.status_code == 422, res.json
    assert "cannot be rendered" in res.json["error"]["message"] and "exceed" in res.json["error"]["message"]


def test_preview_of_the_list_bomb_is_422_and_memory_stays_small(api, factory, session):
    seq = _saved_directly(session, "{% set a = 'a' * 100000 %}{{ [a] * 5000 }}")
    prospect = factory.prospect()
    session.commit()
    caller = api("rep")
    tracemalloc.start()
    try:
        res = caller.get(f"/api/v1/sequences/{seq.id}/steps/1/preview?prospect_id={prospect.id}")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert res.status_code == 422, res.json
    assert peak < 8_000_000, peak
