"""GET /api/v1/users."""
from __future__ import annotations

from flask import jsonify

from sequencer.accounts.permissions import MANAGERS
from sequencer.accounts.users import list_users, serialize_user
from sequencer.api import api_bp
from sequencer.api.common import require_roles
from sequencer.extensions import db


@api_bp.get("/users")
@require_roles(*MANAGERS)
def list_users_endpoint():
    """List users.
    ---
    get:
      summary: List users (admins and managers)
      tags: [Users]
      responses:
        200:
          content:
            application/json:
              schema:
                type: array
                items: UserSchema
        403:
          content:
            application/json:
              schema: ErrorSchema
    """
    return jsonify([serialize_user(u) for u in list_users(db.session)])
