"""Endpoint CRUD and secrets: `whsec_` + 32 random bytes, shown once, stored encrypted; rotation keeps the
old secret signing beside the new one for 24 hours so receivers can switch without losing a delivery."""
from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.accounts.permissions import require_manage_webhooks
from sequencer.errors import Invalid, NotFound
from sequencer.models import User, WebhookEndpoint
from sequencer.platform.security import SecretBox
from sequencer.texts import tr
from sequencer.webhooks import feed
from sequencer.webhooks.catalogue import clean_patterns
from sequencer.webhooks.guard import AllowList, check

SECRET_BYTES = 32
ROTATION_GRACE = timedelta(hours=24)


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def get(session: Session, user: User, endpoint_id: int) -> WebhookEndpoint:
    require_manage_webhooks(user)
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound(tr("no such webhook"))
    return endpoint


def listing(session: Session, user: User) -> list[WebhookEndpoint]:
    require_manage_webhooks(user)
    return list(session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))


def _description(value: Any) -> str:
    text = str(value or "").strip()
    if len(text) > 500:
        raise Invalid.field("description", tr("at most 500 characters"))
    return text


def create(session: Session, user: User, data: dict[str, Any], allow: AllowList, box: SecretBox,
           now: datetime) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret (the only time the secret is returned)."""
    require_manage_webhooks(user)
    secret = new_secret()
    endpoint = WebhookEndpoint(url=check(data.get("url", ""), allow), events=clean_patterns(data.get("events")),
                               description=_description(data.get("description")),
                               enabled=bool(data.get("enabled", True)), secret=box.encrypt(secret),
                               owner_id=user.id, cursor=feed.head(session), created_at=now)
    session.add(endpoint)
    session.flush()
    return endpoint, secret


def update(session: Session, user: User, endpoint_id: int, data: dict[str, Any], allow: AllowList) -> WebhookEndpoint:
    endpoint = get(session, user, endpoint_id)
    if "url" in data:
        endpoint.url = check(data["url"], allow)
    if "events" in data:
        endpoint.events = clean_patterns(data["events"])
    if "description" in data:
        endpoint.description = _description(data["description"])
    if "enabled" in data:
        enable = bool(data["enabled"])
        if enable and not endpoint.enabled:
            endpoint.disabled_reason, endpoint.failing_since, endpoint.paused_until = None, None, None
            endpoint.owner_told_at = None
            endpoint.cursor = feed.head(session)  # re-enabled: from now on
        elif not enable and endpoint.enabled:
            endpoint.disabled_reason = "disabled by a person"
        endpoint.enabled = enable
    session.flush()
    return endpoint


def delete(session: Session, user: User, endpoint_id: int) -> None:
    session.delete(get(session, user, endpoint_id))
    session.flush()


def rotate(session: Session, user: User, endpoint_id: int, box: SecretBox, now: datetime) -> tuple[WebhookEndpoint, str]:
    """A new secret; the current one keeps signing (as a second signature) for 24 hours."""
    endpoint = get(session, user, endpoint_id)
    secret = new_secret()
    endpoint.previous_secret, endpoint.previous_expires_at = endpoint.secret, now + ROTATION_GRACE
    endpoint.secret = box.encrypt(secret)
    session.flush()
    return endpoint, secret


def signing_secrets(endpoint: WebhookEndpoint, box: SecretBox, now: datetime) -> list[str]:
    """The secrets a delivery is signed with right now: the current one, and the previous during its grace."""
    out = [box.decrypt(endpoint.secret)]
    if endpoint.previous_secret and endpoint.previous_expires_at and endpoint.previous_expires_at > now:
        out.append(box.decrypt(endpoint.previous_secret))
    return out
