"""Building sequences: validate the whole cadence (schedule, steps, templates) before anything is stored."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from sequencer.calendar import Schedule, ScheduleError
from sequencer.errors import Conflict, Invalid, NotFound
from sequencer.models import Persona, Sequence, SequenceStatus, Step, StepRun, StepType, Variant
from sequencer.platform import clock
from sequencer.rendering import check_template
from sequencer.sequences.instructions import instruction_problems
from sequencer.texts import tr

EMAIL_TYPES = {StepType.AUTO_EMAIL.value, StepType.MANUAL_EMAIL.value}


def _problem(details: list, message: str, **where) -> None:
    details.append({**where, "message": message})


def _check_templates(step_no: int, variant: dict, details: list) -> None:
    contents = [(None, variant)] + sorted(variant.get("by_persona", {}).items())
    for persona_key, content in contents:
        for field, html in (("subject", False), ("body", True)):
            for problem in check_template(content.get(field, ""), field=field, html=html):
                where = {"step": step_no, "variant": variant["label"], "field": field, "line": problem.line}
                if persona_key:
                    where["persona"] = persona_key
                _problem(details, problem.message, **where)


def validate_payload(session: Session, data: dict) -> dict:
    """Return the payload with a normalised schedule; `Invalid` listing every problem (step, variant, field, line)."""
    details: list[dict] = []
    try:
        schedule = Schedule.from_dict(data.get("schedule") or {}).to_dict()
    except ScheduleError as exc:
        schedule = {}
        _problem(details, exc.message, field=f"schedule.{exc.field}")
    known_personas = set(session.scalars(select(Persona.key)))
    previous_email = False
    for step_no, step in enumerate(data.get("steps", []), start=1):
        is_email = step["type"] in EMAIL_TYPES
        if is_email and not step["variants"]:
            _problem(details, tr("an email step needs at least one variant"), step=step_no, field="variants")
        if not is_email and step["variants"]:
            _problem(details, tr("a %(type)s step has no email variants", type=step["type"]), step=step_no,
                     field="variants")
        if step.get("thread") and not (is_email and previous_email):
            _problem(details, tr("thread: true needs an earlier email step to reply to"), step=step_no, field="thread")
        labels = [v["label"] for v in step["variants"]]
        if len(set(labels)) != len(labels):
            _problem(details, tr("variant labels must be unique within a step"), step=step_no, field="variants")
        if step["variants"] and not any(v["weight"] > 0 for v in step["variants"]):
            _problem(details, tr("at least one variant needs a weight above 0"), step=step_no, field="weight")
        for variant in step["variants"]:
            if is_email and not step.get("thread") and not variant["subject"].strip():
                _problem(details, tr("subject is required (only a threaded step may omit it)"),
                         step=step_no, variant=variant["label"], field="subject")
            for key in variant.get("by_persona", {}):
                if key not in known_personas:
                    _problem(details, tr("unknown persona %(key)s", key=repr(key)), step=step_no, variant=variant["label"],
                             field="by_persona")
            _check_templates(step_no, variant, details)
        for line, message in instruction_problems(step.get("instructions", "")):
            _problem(details, message, step=step_no, field="instructions", line=line)
        previous_email = previous_email or is_email
    if details:
        first = details[0]
        where = " ".join(f"{k} {first[k]}" for k in ("step", "variant", "field", "line") if k in first)
        raise Invalid(tr("%(where)s: %(problem)s", where=where, problem=first["message"]), details)
    return {**data, "schedule": schedule}


def reached_step_ids(session: Session, sequence: Sequence) -> set[int]:
    """Steps that some enrolment has reached: their content is frozen."""
    ids = [s.id for s in sequence.steps]
    if not ids:
        return set()
    return set(session.scalars(select(StepRun.step_id).where(StepRun.step_id.in_(ids)).distinct()))


def build_step(position: int, data: dict) -> Step:
    step = Step(position=position, type=StepType(data["type"]), wait_days=data["wait_days"],
                instructions=data.get("instructions", ""), thread=data.get("thread", False))
    step.variants = [Variant(label=v["label"], weight=v["weight"], subject=v["subject"], body=v["body"],
                             by_persona=v.get("by_persona", {})) for v in data["variants"]]
    return step


def _step_matches(step: Step, data: dict) -> bool:
    mine = {(v.label, v.weight, v.subject, v.body, tuple(sorted((k, tuple(sorted(c.items())))
                                                                 for k, c in v.by_persona.items())))
            for v in step.variants}
    theirs = {(v["label"], v["weight"], v["subject"], v["body"],
               tuple(sorted((k, tuple(sorted(c.items()))) for k, c in v.get("by_persona", {}).items())))
              for v in data["variants"]}
    return (step.type.value == data["type"] and step.wait_days == data["wait_days"]
            and step.instructions == data.get("instructions", "") and step.thread == data.get("thread", False)
            and mine == theirs)


def _apply(seq: Sequence, data: dict) -> None:
    for attr in ("name", "description", "schedule", "exit_on_reply", "track_opens", "track_clicks"):
        setattr(seq, attr, data[attr])


def create_sequence(session: Session, data: dict, owner_id: int | None) -> Sequence:
    data = validate_payload(session, data)
    seq = Sequence(owner_id=owner_id, status=SequenceStatus.DRAFT)
    _apply(seq, data)
    seq.steps = [build_step(i, s) for i, s in enumerate(data["steps"], start=1)]
    session.add(seq)
    session.flush()
    return seq


def replace_sequence(session: Session, seq: Sequence, data: dict) -> Sequence:
    """Replace the steps no enrolment has reached; a change to a reached step is refused, saying why."""
    data = validate_payload(session, data)
    reached = reached_step_ids(session, seq)
    conflicts = []
    incoming = data["steps"]
    for step in seq.steps:
        if step.id not in reached:
            continue
        index = step.position - 1
        if index >= len(incoming):
            conflicts.append({"step": step.position, "message": tr("is in use by enrolments and can't be deleted")})
        elif not _step_matches(step, incoming[index]):
            conflicts.append({"step": step.position,
                              "message": tr("is in use by enrolments; add a new step instead of changing it")})
    if conflicts:
        raise Conflict(tr("step %(step)s %(problem)s", step=conflicts[0]["step"], problem=conflicts[0]["message"]),
                       conflicts)
    _apply(seq, data)
    kept = {s.position for s in seq.steps if s.id in reached}
    for step in list(seq.steps):
        if step.id not in reached:
            seq.steps.remove(step)
    session.flush()  # free the positions before new steps take them
    for position, step_data in enumerate(incoming, start=1):
        if position not in kept:
            seq.steps.append(build_step(position, step_data))
    seq.steps.sort(key=lambda s: s.position)
    seq.updated_at = clock.now()
    session.flush()
    return seq


def set_status(session: Session, seq: Sequence, status: SequenceStatus) -> Sequence:
    if status == SequenceStatus.ACTIVE and not seq.steps:
        raise Conflict(tr("a sequence needs at least one step to be activated"))
    if seq.status == SequenceStatus.ARCHIVED and status != SequenceStatus.ARCHIVED:
        raise Conflict(tr("an archived sequence can't be reactivated; duplicate it instead"))
    seq.status = status
    session.flush()
    return seq


def load_sequence(session: Session, sequence_id: int) -> Sequence:
    seq = session.scalars(select(Sequence).where(Sequence.id == sequence_id).options(
        selectinload(Sequence.steps).selectinload(Step.variants))).first()
    if seq is None:
        raise NotFound(tr("no sequence %(id)s", id=sequence_id))
    return seq
