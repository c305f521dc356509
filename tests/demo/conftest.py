"""The demo workspace seeded once per test at NOW."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from sequencer.demo import seed_demo
from sequencer.platform import clock
from tests.demo.helpers import NOW


@pytest.fixture
def seeded(session: Session):
    with clock.frozen(NOW):
        result = seed_demo(session)
    session.commit()
    return result
