"""Buyer personas: managers define them; copy is personalised per persona."""
from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from sequencer.api import api_bp
from sequencer.api.common import load_json, require_roles
from sequencer.api.schemas import PersonaInSchema, PersonaSchema
from sequencer.errors import ApiError
from sequencer.extensions import db
from sequencer.models import Persona, Role


@api_bp.post("/personas")
@require_roles(Role.ADMIN, Role.MANAGER)
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
    persona = Persona(**data)
    db.session.add(persona)
    db.session.commit()
    return jsonify(PersonaSchema().dump(persona)), 201


@api_bp.get("/personas")
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
    rows = db.session.scalars(select(Persona).order_by(Persona.name))
    return jsonify(PersonaSchema(many=True).dump(rows))
