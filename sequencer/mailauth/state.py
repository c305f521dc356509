"""The OAuth `state`: signed, expiring, bound to the session that started the flow, and spent once."""
from __future__ import annotations

import hmac
import secrets as random

from itsdangerous import BadSignature, URLSafeTimedSerializer

from sequencer.errors import Invalid
from sequencer.texts import tr

MAX_AGE = 900  # seconds between clicking "Connect" and coming back from the consent page
SALT = "mailbox-oauth-state"


def new_state(secret_key: str, user_id: int) -> tuple[str, str]:
    """(nonce to keep in the session, signed state to send to the provider)."""
    nonce = random.token_urlsafe(24)
    return nonce, URLSafeTimedSerializer(secret_key, salt=SALT).dumps({"n": nonce, "u": user_id})


def check_state(secret_key: str, state: str, nonce: str | None, user_id: int) -> str:
    """The nonce when `state` is ours, fresh, for this user and this session; raises `Invalid` otherwise."""
    try:
        data = URLSafeTimedSerializer(secret_key, salt=SALT).loads(state or "", max_age=MAX_AGE)
    except BadSignature:
        raise Invalid.field("state", tr("the sign-in link is forged or too old: start the connection again")) from None
    if (not isinstance(data, dict) or not nonce or not hmac.compare_digest(str(data.get("n")), nonce)
            or data.get("u") != user_id):
        raise Invalid.field("state", tr("this sign-in was not started in this session: start the connection again"))
    return nonce


def spend(redis, nonce: str) -> None:
    """Refuse a state used before (a replayed callback), across sessions and processes."""
    if not redis.set(f"oauth-state:{nonce}", 1, nx=True, ex=MAX_AGE * 2):
        raise Invalid.field("state", tr("this sign-in was already used: start the connection again"))
