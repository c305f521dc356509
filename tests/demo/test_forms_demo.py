"""The demo workspace has two website forms whose submissions went through the real intake and worker."""
from __future__ import annotations

from sqlalchemy import func, select

from sequencer.models import Form, FormSubmission, Task
from sequencer.models.tasks import TaskType
from tests.demo.helpers import rows_of


def test_two_forms_with_routed_submissions(session, seeded):
    forms = rows_of(session, Form)
    assert {f.kind for f in forms} == {"demo_request", "content_download"}
    subs = rows_of(session, FormSubmission)
    assert {s.form_id for s in subs} == {f.id for f in forms}
    assert all(s.status == "processed" and s.owner_id and s.prospect_id for s in subs)
    assert any("role_address" in s.flags for s in subs) and any("disposable_address" in s.flags for s in subs)
    open_ = session.scalar(select(func.count(Task.id)).where(Task.type == TaskType.SPEED_TO_LEAD,
                                                             Task.status == "open"))
    assert open_ >= 2  # fresh leads still waiting for their first touch
