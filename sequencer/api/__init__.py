"""The JSON API under /api/v1: bearer-token auth, one error shape, an OpenAPI document."""
from __future__ import annotations

import hmac

from flask import Blueprint, current_app, g, request

from sequencer.accounts.tokens import user_for_token
from sequencer.api.errors import ApiError
from sequencer.extensions import db

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")

PUBLIC_ENDPOINTS = {"api.openapi_json"}
INBOUND_ENDPOINT = "api.inbound_endpoint"


def _inbound_secret_ok() -> bool:
    """Mail providers' webhooks can't hold a user token: they send the shared INBOUND_SECRET instead."""
    expected = current_app.config.get("INBOUND_SECRET")
    given = request.headers.get("X-Inbound-Secret")
    if given is None:
        return False
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(401, "unauthorized", "invalid inbound secret")
    return True


@api_bp.before_request
def authenticate() -> None:
    """Every call but the OpenAPI document needs `Authorization: Bearer <token>`."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    if request.endpoint == INBOUND_ENDPOINT and _inbound_secret_ok():
        g.inbound_secret_ok, g.api_user = True, None
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "missing bearer token")
    user = user_for_token(db.session, token.strip())
    if user is None:
        raise ApiError(401, "unauthorized", "invalid, expired or revoked token")
    if db.session.dirty:
        db.session.commit()  # records last_used_at
    g.api_user = user


from sequencer.api import (  # noqa: E402,F401
    enrollments,
    forms,
    goals,
    imports,
    inbound,
    mailboxes,
    one_off_emails,
    openapi,
    opportunities,
    personas,
    pools,
    prospects,
    reports,
    scoring,
    sequences,
    tasks,
    time_off,
    tokens,
    users,
    webhooks,
)
