"""The JSON API under /api/v1: bearer-token auth, one error shape, an OpenAPI document."""
from __future__ import annotations

from flask import Blueprint, g, request

from sequencer.errors import ApiError
from sequencer.extensions import db
from sequencer.security import user_for_token

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")

PUBLIC_ENDPOINTS = {"api.openapi_json"}


@api_bp.before_request
def authenticate() -> None:
    """Every call but the OpenAPI document needs `Authorization: Bearer <token>`."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "missing bearer token")
    user = user_for_token(db.session, token.strip())
    if user is None:
        raise ApiError(401, "unauthorized", "invalid or revoked token")
    db.session.commit()  # records last_used_at
    g.api_user = user


from sequencer.api import enrollments, mailboxes, openapi, personas, prospects, sequences, users  # noqa: E402,F401
