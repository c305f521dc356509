"""A two-email sequence (the second threaded) and prospects to enrol, for the dispatcher's limit tests."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sequencer.mail.sending import dispatch_and_send
from sequencer.models import Sequence, SequenceStatus, Step, StepType, Variant
from sequencer.platform import clock

MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # 10:00 in Vilnius


@pytest.fixture
def two_emails(session, factory):
    rep = factory.user("rep", timezone="Europe/Vilnius")
    seq = Sequence(name="Two emails", status=SequenceStatus.ACTIVE, owner_id=rep.id)
    seq.steps = [Step(position=1, type=StepType.AUTO_EMAIL, variants=[Variant(label="A", subject="Hi", body="Hello")]),
                 Step(position=2, type=StepType.AUTO_EMAIL, wait_days=1, thread=True,
                      variants=[Variant(label="A", subject="", body="Following up")])]
    session.add(seq)
    session.commit()
    return {"rep": rep, "sequence": seq}


@pytest.fixture
def prospects(factory, session):
    def _make(n: int) -> list[int]:
        made = [factory.prospect(timezone="Europe/Vilnius", country="LT") for _ in range(n)]
        session.commit()
        return [p.id for p in made]
    return _make


@pytest.fixture
def cycle_at(app, session):
    """One dispatch pass and its sends as of `moment`."""
    def _cycle(moment: datetime):
        with clock.frozen(moment):
            return dispatch_and_send(session, app.config, moment)
    return _cycle
