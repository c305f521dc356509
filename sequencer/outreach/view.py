"""An enrolment as the API and UI show it: one entry per sequence step, reached or projected."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sequencer.models import Enrollment, EnrollmentStatus, StepRunState
from sequencer.platform.serialize import iso
from sequencer.sequences.preview import project

OPEN_STATES = {StepRunState.SCHEDULED, StepRunState.HELD, StepRunState.TASK_OPEN, StepRunState.SENDING}


def serialize_enrollment(enrollment: Enrollment, now: datetime) -> dict:
    runs = {r.position: r for r in enrollment.step_runs}
    steps: list[dict[str, Any]] = []
    next_due = None
    for step in enrollment.sequence.steps:
        run = runs.get(step.position)
        if run is None:
            continue
        steps.append({"position": step.position, "type": step.type.value, "status": run.state.value,
                      "due_at": iso(run.due_at), "projected_at": None,
                      "done_at": iso(run.done_at or run.sent_at),
                      "variant": run.variant.label if run.variant else None, "message_id": run.message_id,
                      "why_waiting": run.why_waiting if run.state in OPEN_STATES else None})
        if run.state in (StepRunState.SCHEDULED, StepRunState.HELD) and next_due is None:
            next_due = run.due_at
    live = enrollment.status in (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)
    last = max(runs.values(), key=lambda r: r.position) if runs else None
    projected = {}
    if live and last is not None:
        start = last.due_at if last.state in OPEN_STATES else (last.done_at or last.due_at)
        done = {p: (r.done_at or r.due_at) for p, r in runs.items()}
        done[last.position] = max(start, now, enrollment.paused_until or now)  # a pause projects from its end
        projected = {p.position: p for p in project(enrollment.sequence, enrollment.prospect, start, done)}
    for step in enrollment.sequence.steps:
        if step.position in runs:
            continue
        guess = projected.get(step.position)
        steps.append({"position": step.position, "type": step.type.value, "status": "pending", "due_at": None,
                      "projected_at": iso(guess.at) if guess else None, "done_at": None, "variant": None,
                      "message_id": None, "why_waiting": None})
    steps.sort(key=lambda s: s["position"])
    return {"id": enrollment.id, "prospect_id": enrollment.prospect_id, "sequence_id": enrollment.sequence_id,
            "mailbox_id": enrollment.mailbox_id, "status": enrollment.status.value,
            "exit_reason": enrollment.exit_reason, "paused_until": iso(enrollment.paused_until),
            "next_due_at": iso(next_due) if enrollment.status == EnrollmentStatus.ACTIVE else None,
            "steps": steps}
