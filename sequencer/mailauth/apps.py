"""The OAuth client an admin registered with each provider: validated settings, the encrypted secret, endpoints."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from sequencer.errors import Conflict, Invalid
from sequencer.mailauth.providers import PROVIDERS, Provider
from sequencer.models import OAuthApp
from sequencer.platform.security import SecretBox
from sequencer.texts import tr

TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,199}$")
LIMITS = {"client_id": 500, "client_secret": 2000, "tenant": 200, "authorize_url": 2000, "token_url": 2000}


@dataclass(frozen=True)
class Client:
    """Everything needed to talk to the provider's endpoints for one grant."""
    provider: Provider
    client_id: str
    client_secret: str
    authorize_url: str
    token_url: str


def get_app(session: Session, provider: Provider) -> OAuthApp:
    """The provider's row (unsaved and empty until an admin fills it in)."""
    return session.get(OAuthApp, provider.key) or OAuthApp(provider=provider.key, client_id="")


def _url(data: dict, field: str) -> str | None:
    value = str(data.get(field) or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise Invalid.field(field, tr("must be an http(s) URL"))
    return value


def save_app(session: Session, provider: Provider, data: dict, secrets: SecretBox, now: datetime) -> OAuthApp:
    """Store the admin's client id, secret (encrypted; empty keeps the stored one), tenant and endpoint overrides."""
    for field, limit in LIMITS.items():
        if len(str(data.get(field) or "")) > limit:
            raise Invalid.field(field, tr("must be at most %(limit)s characters", limit=limit))
    app = get_app(session, provider)
    app.client_id = str(data.get("client_id") or "").strip()
    if not app.client_id:
        raise Invalid.field("client_id", tr("is required"))
    if data.get("client_secret"):
        app.client_secret_encrypted = secrets.encrypt(str(data["client_secret"]).strip())
    tenant = str(data.get("tenant") or "").strip() or None
    if tenant and not TENANT.match(tenant):
        raise Invalid.field("tenant", tr("must be a tenant id, a domain, organizations or common"))
    app.tenant = tenant if provider.key == "microsoft" else None
    app.authorize_url, app.token_url = _url(data, "authorize_url"), _url(data, "token_url")
    app.updated_at = now
    session.add(app)
    session.flush()
    return app


def client(session: Session, provider: Provider, secrets: SecretBox) -> Client:
    """The configured client; raises `Conflict` when the admin has not set the provider up yet."""
    app = session.get(OAuthApp, provider.key)
    if app is None or not app.client_id or not app.client_secret_encrypted:
        raise Conflict(tr("%(provider)s is not set up: an admin enters its OAuth client id and secret first",
                          provider=provider.label))
    tenant = app.tenant or "organizations"
    return Client(provider=provider, client_id=app.client_id, client_secret=secrets.decrypt(app.client_secret_encrypted),
                  authorize_url=app.authorize_url or provider.authorize_url.format(tenant=tenant),
                  token_url=app.token_url or provider.token_url.format(tenant=tenant))


def serialize_app(app: OAuthApp) -> dict:
    """The settings view: never the secret, only whether one is stored."""
    return {"provider": app.provider, "client_id": app.client_id, "client_secret_set": bool(app.client_secret_encrypted),
            "tenant": app.tenant, "authorize_url": app.authorize_url, "token_url": app.token_url}


def overview(session: Session) -> list[tuple[Provider, dict]]:
    """Each provider with its client settings as the settings page shows them."""
    return [(p, serialize_app(get_app(session, p))) for p in PROVIDERS.values()]


def authorize_origins(session: Session) -> list[str]:
    """Where the consent pages live (scheme://host), for the settings pages' CSP form-action."""
    origins = []
    for p in PROVIDERS.values():
        app = get_app(session, p)
        parts = urlsplit(app.authorize_url or p.authorize_url.format(tenant=app.tenant or "organizations"))
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return list(dict.fromkeys(origins))
