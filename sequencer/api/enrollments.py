"""Enrolments: reps enrol prospects and pause, resume or exit them; every skip comes with its reason."""
from __future__ import annotations

from flask import jsonify
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sequencer.accounts.permissions import require_manage_enrollment
from sequencer.api import api_bp
from sequencer.api.common import current_api_user, load_json
from sequencer.api.errors import ApiError
from sequencer.api.sequence_schemas import (
    EnrollEstimateSchema,
    EnrollInSchema,
    EnrollResultSchema,
    ExitInSchema,
    PauseInSchema,
)
from sequencer.extensions import db
from sequencer.models import Enrollment, StepRun
from sequencer.outreach.capacity import estimate
from sequencer.outreach.enrol import enroll
from sequencer.outreach.enrollment import exit_enrollment, pause, resume
from sequencer.outreach.view import serialize_enrollment
from sequencer.platform import clock
from sequencer.sequences.authoring import load_sequence


@api_bp.post("/sequences/<int:sequence_id>/enrollments")
def enroll_endpoint(sequence_id: int):
    """Enrol prospects.
    ---
    post:
      summary: Enrol prospects into a sequence; skipped prospects are listed with their reason
      tags: [Enrollments]
      requestBody: {required: true, content: {application/json: {schema: EnrollInSchema}}}
      responses:
        201: {content: {application/json: {schema: EnrollResultSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(EnrollInSchema())
    seq = load_sequence(db.session, sequence_id)
    result = enroll(db.session, seq, data["prospect_ids"], actor=current_api_user(), now=clock.now(),
                    mailbox_id=data.get("mailbox_id"), start_at=data.get("start_at"),
                    pool_id=data.get("pool_id"))
    db.session.commit()
    return jsonify(EnrollResultSchema().dump({
        "enrolled": [{"id": e, "prospect_id": p} for e, p in result.enrolled],
        "skipped": [{"prospect_id": p, "reason": r} for p, r in result.skipped]})), 201


@api_bp.post("/sequences/<int:sequence_id>/enrollments/estimate")
def enroll_estimate_endpoint(sequence_id: int):
    """Estimate an enrolment.
    ---
    post:
      summary: What enrolling these prospects would do (count, exclusions, business days to send step 1 at each mailbox's daily cap); nothing is stored
      tags: [Enrollments]
      requestBody: {required: true, content: {application/json: {schema: EnrollInSchema}}}
      responses:
        200: {content: {application/json: {schema: EnrollEstimateSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(EnrollInSchema())
    seq = load_sequence(db.session, sequence_id)
    found = estimate(db.session, seq, data["prospect_ids"], actor=current_api_user(), now=clock.now(),
                     mailbox_id=data.get("mailbox_id"))
    return jsonify(EnrollEstimateSchema().dump(found))


def _load(enrollment_id: int) -> Enrollment:
    enrollment = db.session.scalars(select(Enrollment).where(Enrollment.id == enrollment_id).options(
        selectinload(Enrollment.step_runs).selectinload(StepRun.variant))).first()
    if enrollment is None:
        raise ApiError(404, "not_found", f"no enrolment {enrollment_id}")
    require_manage_enrollment(current_api_user(), enrollment)
    return enrollment


def _respond(enrollment: Enrollment):
    db.session.commit()
    return jsonify(serialize_enrollment(enrollment, clock.now()))


@api_bp.get("/enrollments/<int:enrollment_id>")
def get_enrollment_endpoint(enrollment_id: int):
    """Get an enrolment.
    ---
    get:
      summary: An enrolment with one entry per sequence step (reached, or pending with a projected time)
      tags: [Enrollments]
      responses:
        200: {content: {application/json: {schema: EnrollmentSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    return jsonify(serialize_enrollment(_load(enrollment_id), clock.now()))


@api_bp.post("/enrollments/<int:enrollment_id>/pause")
def pause_enrollment_endpoint(enrollment_id: int):
    """Pause an enrolment.
    ---
    post:
      summary: Pause, optionally until a moment (then it resumes by itself)
      tags: [Enrollments]
      requestBody: {required: false, content: {application/json: {schema: PauseInSchema}}}
      responses:
        200: {content: {application/json: {schema: EnrollmentSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(PauseInSchema(), optional=True)
    return _respond(pause(db.session, _load(enrollment_id), clock.now(), until=data.get("until")))


@api_bp.post("/enrollments/<int:enrollment_id>/resume")
def resume_enrollment_endpoint(enrollment_id: int):
    """Resume an enrolment.
    ---
    post:
      summary: Resume a paused enrolment
      tags: [Enrollments]
      responses:
        200: {content: {application/json: {schema: EnrollmentSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
    """
    return _respond(resume(db.session, _load(enrollment_id), clock.now()))


@api_bp.post("/enrollments/<int:enrollment_id>/exit")
def exit_enrollment_endpoint(enrollment_id: int):
    """Exit an enrolment.
    ---
    post:
      summary: Exit an enrolment for good, with a reason
      tags: [Enrollments]
      requestBody: {required: false, content: {application/json: {schema: ExitInSchema}}}
      responses:
        200: {content: {application/json: {schema: EnrollmentSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(ExitInSchema(), optional=True)
    return _respond(exit_enrollment(db.session, _load(enrollment_id), clock.now(), data["reason"]))
