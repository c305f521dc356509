"""Sequences: managers build them; everyone can read them and preview a step for a prospect."""
from __future__ import annotations

from flask import current_app, jsonify, request
from sqlalchemy import select

from sequencer.accounts.permissions import MANAGERS
from sequencer.accounts.workspace import get_workspace
from sequencer.api import api_bp
from sequencer.api.common import current_api_user, load_json, require_roles
from sequencer.api.dump_fields import With
from sequencer.api.errors import ApiError
from sequencer.api.pagination import fetch, page_args, paged_response, paginated
from sequencer.api.sequence_schemas import SequenceInSchema, SequenceSchema
from sequencer.extensions import db
from sequencer.models import Prospect, Sequence, SequenceStatus
from sequencer.outreach.enrol import sending_mailbox_for
from sequencer.platform import clock
from sequencer.sequences.authoring import (
    create_sequence,
    load_sequence,
    reached_step_ids,
    replace_sequence,
    set_status,
)
from sequencer.sequences.preview import preview_step


def _dump(seq: Sequence) -> dict:
    reached = reached_step_ids(db.session, seq)
    return SequenceSchema().dump(With(seq, steps=[With(s, in_use=s.id in reached) for s in seq.steps]))


@api_bp.post("/sequences")
@require_roles(*MANAGERS)
def create_sequence_endpoint():
    """Create a sequence (draft).
    ---
    post:
      summary: Create a sequence; templates are validated now, not at send time
      tags: [Sequences]
      requestBody: {required: true, content: {application/json: {schema: SequenceInSchema}}}
      responses:
        201: {content: {application/json: {schema: SequenceSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    seq = create_sequence(db.session, load_json(SequenceInSchema()), current_api_user().id)
    db.session.commit()
    return jsonify(_dump(seq)), 201


@api_bp.get("/sequences")
@paginated
def list_sequences_endpoint():
    """List sequences.
    ---
    get:
      summary: List sequences with their steps
      tags: [Sequences]
      responses:
        200: {content: {application/json: {schema: {type: array, items: SequenceSchema}}}}
    """
    page = page_args()
    ids, total = fetch(db.session, select(Sequence.id).order_by(Sequence.name, Sequence.id), page)
    return paged_response([_dump(load_sequence(db.session, i)) for i in ids], page, total)


@api_bp.get("/sequences/<int:sequence_id>")
def get_sequence_endpoint(sequence_id: int):
    """Get a sequence.
    ---
    get:
      summary: A sequence with step and variant ids
      tags: [Sequences]
      responses:
        200: {content: {application/json: {schema: SequenceSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    return jsonify(_dump(load_sequence(db.session, sequence_id)))


@api_bp.put("/sequences/<int:sequence_id>")
@require_roles(*MANAGERS)
def replace_sequence_endpoint(sequence_id: int):
    """Replace a sequence.
    ---
    put:
      summary: Replace settings and the steps no enrolment has reached (409 naming a reached step changed)
      tags: [Sequences]
      requestBody: {required: true, content: {application/json: {schema: SequenceInSchema}}}
      responses:
        200: {content: {application/json: {schema: SequenceSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    seq = load_sequence(db.session, sequence_id)
    replace_sequence(db.session, seq, load_json(SequenceInSchema()))
    db.session.commit()
    return jsonify(_dump(seq))


def _status_endpoint(sequence_id: int, status: SequenceStatus):
    seq = set_status(db.session, load_sequence(db.session, sequence_id), status)
    db.session.commit()
    return jsonify(_dump(seq))


@api_bp.post("/sequences/<int:sequence_id>/activate")
@require_roles(*MANAGERS)
def activate_sequence_endpoint(sequence_id: int):
    """Activate.
    ---
    post:
      summary: Activate a sequence so prospects can be enrolled
      tags: [Sequences]
      responses:
        200: {content: {application/json: {schema: SequenceSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
    """
    return _status_endpoint(sequence_id, SequenceStatus.ACTIVE)


@api_bp.post("/sequences/<int:sequence_id>/pause")
@require_roles(*MANAGERS)
def pause_sequence_endpoint(sequence_id: int):
    """Pause.
    ---
    post:
      summary: Pause a sequence (nothing new is enrolled)
      tags: [Sequences]
      responses:
        200: {content: {application/json: {schema: SequenceSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
    """
    return _status_endpoint(sequence_id, SequenceStatus.PAUSED)


@api_bp.post("/sequences/<int:sequence_id>/archive")
@require_roles(*MANAGERS)
def archive_sequence_endpoint(sequence_id: int):
    """Archive.
    ---
    post:
      summary: Archive a sequence
      tags: [Sequences]
      responses:
        200: {content: {application/json: {schema: SequenceSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    return _status_endpoint(sequence_id, SequenceStatus.ARCHIVED)


@api_bp.get("/sequences/<int:sequence_id>/steps/<int:position>/preview")
def preview_step_endpoint(sequence_id: int, position: int):
    """Preview a step for a prospect.
    ---
    get:
      summary: The rendered step for a prospect, the variables it lacks, and when it would go out
      tags: [Sequences]
      parameters:
        - {name: prospect_id, in: query, required: true, schema: {type: integer}}
        - {name: variant, in: query, required: false, schema: {type: string}}
      responses:
        200: {content: {application/json: {schema: PreviewSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
        422: {description: The step cannot be rendered for this prospect (the reason is in the message), content: {application/json: {schema: ErrorSchema}}}
    """
    seq = load_sequence(db.session, sequence_id)
    prospect_id = request.args.get("prospect_id", type=int)
    prospect = db.session.get(Prospect, prospect_id) if prospect_id else None
    if prospect is None:
        raise ApiError(404, "not_found", "prospect_id: no such prospect")
    user = current_api_user()
    sender = sending_mailbox_for(db.session, prospect, user) or user
    result = preview_step(seq, position, prospect, sender=sender, variant_label=request.args.get("variant"),
                          now=clock.now(), base_url=current_app.config["BASE_URL"],
                          postal_address=get_workspace(db.session).postal_address)
    return jsonify(result)
