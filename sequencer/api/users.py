"""GET /api/v1/users."""
from __future__ import annotations

from sqlalchemy import select

from sequencer.accounts.permissions import MANAGERS
from sequencer.api import api_bp
from sequencer.api.common import require_roles
from sequencer.api.pagination import fetch, page_args, paged_response, paginated
from sequencer.api.schemas import UserSchema
from sequencer.extensions import db
from sequencer.models import User


@api_bp.get("/users")
@paginated
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
    page = page_args()
    users, total = fetch(db.session, select(User).order_by(User.name, User.id), page)
    return paged_response(UserSchema(many=True).dump(users), page, total)
