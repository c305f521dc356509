"""The authorization-code flow with PKCE: the consent URL to send the admin to, and the code traded for tokens.

The `state` is random, signed with SECRET_KEY and short-lived; the web layer also binds it to the user's
session and spends it once (see `state.py`), so a forged or replayed callback is refused.
"""
from __future__ import annotations

from dataclasses import dataclass

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError

from sequencer.errors import Conflict, Invalid
from sequencer.mailauth.apps import Client
from sequencer.mailauth.tokens import TIMEOUT, oauth_session
from sequencer.texts import tr


@dataclass(frozen=True)
class Consent:
    url: str
    verifier: str  # PKCE: kept server-side (in the session), sent only with the code


def consent(c: Client, redirect_uri: str, state: str, login_hint: str) -> Consent:
    """Where to send the browser: the provider's consent page, asking for mail scopes only, with an S256 challenge."""
    verifier = generate_token(64)
    with oauth_session(c, scope=" ".join(c.provider.scopes), redirect_uri=redirect_uri,
                       code_challenge_method="S256") as oauth:
        url, _ = oauth.create_authorization_url(c.authorize_url, state=state, code_verifier=verifier,
                                                login_hint=login_hint, **dict(c.provider.extra_authorize))
    return Consent(url=url, verifier=verifier)


def exchange(c: Client, redirect_uri: str, code: str, verifier: str) -> dict:
    """Trade the code (with the PKCE verifier) for tokens; raises `Invalid`/`Conflict` with the provider's words."""
    if not code or len(code) > 4096:
        raise Invalid.field("code", tr("the provider sent no usable authorization code"))
    try:
        with oauth_session(c, redirect_uri=redirect_uri) as oauth:
            token = dict(oauth.fetch_token(c.token_url, grant_type="authorization_code", code=code,
                                           code_verifier=verifier, timeout=TIMEOUT))
    except OAuthError as exc:
        raise Conflict(tr("%(provider)s refused the sign-in: %(error)s", provider=c.provider.label,
                          error=f"{exc.error} {exc.description or ''}".strip())) from None
    except (requests.RequestException, ValueError) as exc:
        raise Conflict(tr("could not reach %(provider)s's token endpoint: %(error)s", provider=c.provider.label,
                          error=str(exc))) from None
    if not token.get("access_token") or not token.get("refresh_token"):
        raise Conflict(tr("%(provider)s gave no refresh token: allow offline access and connect again",
                          provider=c.provider.label))
    return token
