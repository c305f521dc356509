"""Signing in and API tokens: the checks that decide who a request is; a mistake here leaks accounts."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from sequencer.models import ApiToken, User
from sequencer.platform import clock

TOKEN_PREFIX = "sq_"
# Checked against when the email is unknown, so a wrong login takes as long either way.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, else None (same cost for unknown emails)."""
    user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(session: Session, user: User, name: str = "") -> str:
    """Store a new token's hash and return the token itself; it is never retrievable again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user=user, token_hash=_token_digest(token), prefix=token[:10], name=name))
    session.flush()
    return token


LAST_USED_GRANULARITY = timedelta(minutes=1)  # "last used" to the minute, not a write on every API call


def user_for_token(session: Session, token: str) -> User | None:
    """The active owner of a valid, unrevoked token."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == _token_digest(token))).first()
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    now = clock.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_GRANULARITY:
        row.last_used_at = now
    return row.user
