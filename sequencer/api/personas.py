"""Buyer personas: managers define them; copy is personalised per persona."""
from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import select

from sequencer.accounts.permissions import MANAGERS
from sequencer.api import api_bp
from sequencer.api.common import load_json, require_roles
from sequencer.api.errors import ApiError
from sequencer.api.pagination import fetch, page_args, paged_response, paginated
from sequencer.api.schemas import PersonaInSchema, PersonaSchema
from sequencer.extensions import db
from sequencer.models import Persona
from sequencer.people.personas import clean_keywords, delete_persona, update_persona


@api_bp.post("/personas")
@require_roles(*MANAGERS)
def create_persona_endpoint():
    """Create a persona.
    ---
    post:
      summary: Create a buyer persona (admins and managers)
      tags: [Personas]
      requestBody:
        required: true
        content:
          application/json:
            schema: PersonaInSchema
      responses:
        201:
          content:
            application/json:
              schema: PersonaSchema
        409:
          content:
            application/json:
              schema: ErrorSchema
        422:
          content:
            application/json:
              schema: ErrorSchema
    """
    data = load_json(PersonaInSchema())
    existing = db.session.scalars(select(Persona).where(Persona.key == data["key"])).first()
    if existing is not None:
        raise ApiError(409, "duplicate", f"persona {data['key']!r} exists", existing_id=existing.id)
    data["title_keywords"] = clean_keywords(data.get("title_keywords") or [])
    persona = Persona(**data)
    db.session.add(persona)
    db.session.commit()
    return jsonify(PersonaSchema().dump(persona)), 201


@api_bp.get("/personas")
@paginated
def list_personas_endpoint():
    """List personas.
    ---
    get:
      summary: List buyer personas
      tags: [Personas]
      responses:
        200:
          content:
            application/json:
              schema:
                type: array
                items: PersonaSchema
    """
    page = page_args()
    rows, total = fetch(db.session, select(Persona).order_by(Persona.name, Persona.id), page)
    return paged_response(PersonaSchema(many=True).dump(rows), page, total)


def _load(persona_id: int) -> Persona:
    persona = db.session.get(Persona, persona_id)
    if persona is None:
        raise ApiError(404, "not_found", f"no persona {persona_id}")
    return persona


@api_bp.route("/personas/<int:persona_id>", methods=["PUT", "PATCH"])
@require_roles(*MANAGERS)
def update_persona_endpoint(persona_id: int):
    """Update a persona.
    ---
    put:
      summary: Replace a persona (admins and managers); a key change carries sequence overrides along
      tags: [Personas]
      requestBody: {required: true, content: {application/json: {schema: PersonaInSchema}}}
      responses:
        200: {content: {application/json: {schema: PersonaSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    patch:
      summary: Change some fields of a persona (admins and managers)
      tags: [Personas]
      requestBody: {required: true, content: {application/json: {schema: PersonaInSchema}}}
      responses:
        200: {content: {application/json: {schema: PersonaSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    persona = _load(persona_id)
    data = load_json(PersonaInSchema(partial=request.method == "PATCH"))
    update_persona(db.session, persona, data)
    db.session.commit()
    return jsonify(PersonaSchema().dump(persona))


@api_bp.delete("/personas/<int:persona_id>")
@require_roles(*MANAGERS)
def delete_persona_endpoint(persona_id: int):
    """Delete a persona.
    ---
    delete:
      summary: Delete a persona that no prospect and no sequence override uses (admins and managers)
      description: >-
        In use → 409 `conflict`; the error carries `prospects` (a count) and `sequences`
        (`[{id, name}]` holding copy for this persona).
      tags: [Personas]
      responses:
        204: {description: Deleted}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
    """
    delete_persona(db.session, _load(persona_id))
    db.session.commit()
    return "", 204
