"""Every task type and step type has its chip (icon and label) in the queue and the timeline."""
from sequencer.models.sequences import StepType
from sequencer.models.tasks import TaskType
from sequencer.web.chips import STEP_META


def test_every_task_and_step_type_has_a_chip():
    missing = {t.value for t in TaskType} | {s.value for s in StepType}
    assert missing - set(STEP_META) == set()
