"""The caller's own API tokens: list, create (the token is in that one answer), revoke. Beyond API.md."""
from __future__ import annotations

from flask import jsonify

from sequencer.accounts import tokens as token_service
from sequencer.api import api_bp
from sequencer.api.common import current_api_user, load_json
from sequencer.api.dump_fields import With
from sequencer.api.pagination import page_args, paged_response, paginated
from sequencer.api.token_schemas import NewTokenSchema, TokenInSchema, TokenSchema
from sequencer.extensions import db


@api_bp.get("/tokens")
@paginated
def list_tokens_endpoint():
    """List one's tokens.
    ---
    get:
      summary: The caller's live API tokens, newest first (revoked ones are gone; expired ones say so)
      tags: [Tokens]
      responses:
        200:
          content:
            application/json:
              schema:
                type: array
                items: TokenSchema
    """
    page = page_args()
    rows = token_service.list_tokens(db.session, current_api_user())  # a person holds a handful
    return paged_response(TokenSchema(many=True).dump(rows[page.offset:page.offset + page.per_page]), page, len(rows))


@api_bp.post("/tokens")
def create_token_endpoint():
    """Create a token.
    ---
    post:
      summary: A new API token for the caller, optionally expiring; the token is shown in this answer only
      tags: [Tokens]
      requestBody:
        required: true
        content:
          application/json:
            schema: TokenInSchema
      responses:
        201:
          content:
            application/json:
              schema: NewTokenSchema
        422:
          content:
            application/json:
              schema: ErrorSchema
    """
    data = load_json(TokenInSchema())
    row, token = token_service.issue_token(db.session, current_api_user(), data["name"], data["expires_in_days"])
    db.session.commit()
    return jsonify(NewTokenSchema().dump(With(row, token=token))), 201


@api_bp.delete("/tokens/<int:token_id>")
def revoke_token_endpoint(token_id: int):
    """Revoke a token.
    ---
    delete:
      summary: Revoke one of the caller's tokens (admins any user's); it answers 401 from now on
      tags: [Tokens]
      responses:
        204: {description: Revoked}
        404:
          content:
            application/json:
              schema: ErrorSchema
    """
    token_service.revoke_token(db.session, current_api_user(), token_id)
    db.session.commit()
    return "", 204
