"""The task tests' world: the scenario as of Wednesday NOW, and an API client acting as its rep."""
from __future__ import annotations

import pytest

from tests.tasks.scenario import As, Scenario


@pytest.fixture
def world(task_scenario: Scenario, client, factory) -> Scenario:
    task_scenario.as_rep = As(client, factory, task_scenario.rep)
    return task_scenario
