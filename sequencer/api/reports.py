"""The sequence report and the experiment controls (metric, sample, auto-promotion, holdout, winner)."""
from __future__ import annotations

from flask import jsonify

from sequencer.accounts.permissions import MANAGERS, REPORT_VIEWERS
from sequencer.api import api_bp
from sequencer.api.common import current_api_user, load_json, require_roles
from sequencer.api.errors import ApiError
from sequencer.api.report_schemas import DecisionSchema, ExperimentSettingsSchema, WinnerSchema
from sequencer.extensions import db
from sequencer.platform import clock
from sequencer.reports import sequence_report
from sequencer.sequences.authoring import load_sequence
from sequencer.sequences.promotion import declare_winner, update_settings


def _step(sequence_id: int, position: int):
    seq = load_sequence(db.session, sequence_id)
    step = next((s for s in seq.steps if s.position == position), None)
    if step is None:
        raise ApiError(404, "not_found", f"sequence {sequence_id} has no step {position}")
    return step


@api_bp.get("/sequences/<int:sequence_id>/report")
@require_roles(*REPORT_VIEWERS)
def sequence_report_endpoint(sequence_id: int):
    """Sequence report.
    ---
    get:
      summary: Funnel per step, A/B variants with 95% Wilson intervals and P(best), persona breakdown, weekly rates
      tags: [Reports]
      responses:
        200: {content: {application/json: {schema: SequenceReportSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    seq = load_sequence(db.session, sequence_id)
    return jsonify(sequence_report.to_json(sequence_report.build(db.session, seq)))


@api_bp.patch("/sequences/<int:sequence_id>/steps/<int:position>/experiment")
@require_roles(*MANAGERS)
def experiment_settings_endpoint(sequence_id: int, position: int):
    """Experiment settings of a step.
    ---
    patch:
      summary: Set the primary metric, minimum sample, auto-promotion, persona stratification and holdout share
      tags: [Reports]
      requestBody: {required: true, content: {application/json: {schema: ExperimentSettingsSchema}}}
      responses:
        200: {content: {application/json: {schema: StepReportSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    step = _step(sequence_id, position)
    update_settings(db.session, step, load_json(ExperimentSettingsSchema()))
    db.session.commit()
    report = sequence_report.to_json(sequence_report.build(db.session, step.sequence))
    return jsonify(next(s for s in report["steps"] if s["position"] == position))


@api_bp.post("/sequences/<int:sequence_id>/steps/<int:position>/winner")
@require_roles(*MANAGERS)
def declare_winner_endpoint(sequence_id: int, position: int):
    """Declare a winner.
    ---
    post:
      summary: The variant keeps being assigned, the others stop; the decision is stored with its numbers
      tags: [Reports]
      requestBody: {required: true, content: {application/json: {schema: WinnerSchema}}}
      responses:
        201: {content: {application/json: {schema: DecisionSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {description: A live variant is below the minimum sample and override is not true, content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    step = _step(sequence_id, position)
    data = load_json(WinnerSchema())
    decision = declare_winner(db.session, step, data["variant_id"], current_api_user().id, clock.now(),
                              override=data["override"])
    db.session.commit()
    return jsonify(DecisionSchema().dump(decision)), 201
