"""Issue 23 defect 5: declaring a winner below the minimum sample is refused unless the manager overrides it,
on every door (service, API, the report page), and the page asks with the numbers before it sends."""
from __future__ import annotations

import pytest

from sequencer.errors import Conflict
from sequencer.models import ExperimentDecision
from sequencer.platform import clock
from sequencer.sequences.promotion import declare_winner
from tests.api.test_reports import _seq


def test_service_refuses_below_the_minimum_sample_naming_the_numbers(factory, session):
    seq = _seq(factory, session)
    step = seq.steps[0]
    with pytest.raises(Conflict) as refused:
        declare_winner(session, step, step.variants[1].id, factory.user("manager").id, clock.now())
    assert "A 3 sent" in refused.value.message and "B 3 sent" in refused.value.message
    assert str(step.min_sample) in refused.value.message
    assert session.query(ExperimentDecision).count() == 0
    decision = declare_winner(session, step, step.variants[1].id, None, clock.now(), override=True)
    assert decision.numbers["overridden"] is True


def test_api_refuses_then_accepts_the_explicit_override(api, factory, session):
    seq = _seq(factory, session)
    b = seq.steps[0].variants[1]
    url = f"/api/v1/sequences/{seq.id}/steps/1/winner"
    refused = api("manager").post(url, json={"variant_id": b.id})
    assert refused.status_code == 409 and "minimum sample" in refused.get_json()["error"]["message"]
    assert api("manager").post(url, json={"variant_id": b.id, "override": True}).status_code == 201
