"""Prospects: create, read, update and search; reps edit only the prospects they own."""
from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from sequencer.api import api_bp
from sequencer.api.common import current_api_user, load_json
from sequencer.api.errors import ApiError
from sequencer.api.pagination import page_args, paged_response, paginated
from sequencer.api.prospect_schemas import ProspectInSchema, ProspectSchema
from sequencer.extensions import db
from sequencer.models import Prospect
from sequencer.people.prospects import create_prospect, update_prospect
from sequencer.people.search import ProspectFilters, search_prospects


def _body(partial: bool) -> dict:
    data = load_json(ProspectInSchema(partial=partial))
    if "custom_fields" in data:
        data["fields"] = data.pop("custom_fields")
    return data


def _load(prospect_id: int) -> Prospect:
    prospect = db.session.scalars(select(Prospect).where(Prospect.id == prospect_id).options(
        joinedload(Prospect.company), joinedload(Prospect.persona))).first()
    if prospect is None:
        raise ApiError(404, "not_found", f"no prospect {prospect_id}")
    return prospect


@api_bp.post("/prospects")
def create_prospect_endpoint():
    """Create a prospect.
    ---
    post:
      summary: Create a prospect (any role; a rep's prospects are their own)
      description: >-
        The email is trimmed and lower-cased; a duplicate is a 409 `duplicate` with `existing_id`.
        Invalid email, timezone, country, persona, owner_id or phone is a 422 naming the field.
        Without `persona`, one is suggested from the title keywords of the personas.
      tags: [Prospects]
      requestBody: {required: true, content: {application/json: {schema: ProspectInSchema}}}
      responses:
        201: {content: {application/json: {schema: ProspectSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    prospect = create_prospect(db.session, _body(partial=False), current_api_user())
    db.session.commit()
    return jsonify(ProspectSchema().dump(prospect)), 201


@api_bp.get("/prospects/<int:prospect_id>")
def get_prospect_endpoint(prospect_id: int):
    """Get a prospect.
    ---
    get:
      summary: One prospect
      tags: [Prospects]
      responses:
        200: {content: {application/json: {schema: ProspectSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    return jsonify(ProspectSchema().dump(_load(prospect_id)))


@api_bp.patch("/prospects/<int:prospect_id>")
def update_prospect_endpoint(prospect_id: int):
    """Update a prospect.
    ---
    patch:
      summary: Change some fields of a prospect (reps only their own); `fields` is replaced as a whole
      tags: [Prospects]
      requestBody: {required: true, content: {application/json: {schema: ProspectInSchema}}}
      responses:
        200: {content: {application/json: {schema: ProspectSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    prospect = _load(prospect_id)
    data = _body(partial=True)
    update_prospect(db.session, prospect, data, current_api_user())
    db.session.commit()
    return jsonify(ProspectSchema().dump(prospect))


@api_bp.get("/prospects")
@paginated
def list_prospects_endpoint():
    """Search prospects.
    ---
    get:
      summary: Prospects matching the filters, ordered by last name (or `sort`)
      tags: [Prospects]
      parameters:
        - {name: q, in: query, schema: {type: string}, description: "name, email, title or company contains"}
        - {name: persona, in: query, schema: {type: string}, description: persona key}
        - {name: status, in: query, schema: {type: string, enum: [active, unsubscribed, bounced, complained, do_not_contact]}}
        - {name: owner, in: query, schema: {type: string}, description: "a user id or `me`"}
        - {name: country, in: query, schema: {type: string}, description: ISO 3166 alpha-2}
        - {name: sales_ready, in: query, schema: {type: string, enum: ["true", "false"]}}
        - {name: min_score, in: query, schema: {type: integer}, description: at least this engagement}
        - {name: sort, in: query, schema: {type: string, enum: [name, score, "-score", fit, "-fit"]},
           description: "default name; `-score` = highest engagement first"}
      responses:
        200:
          content:
            application/json:
              schema:
                type: array
                items: ProspectSchema
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    page = page_args()
    filters = ProspectFilters.from_args(request.args, me=current_api_user().id)
    rows, total = search_prospects(db.session, filters, page.number, page.per_page)
    return paged_response(ProspectSchema(many=True).dump(rows), page, total)
