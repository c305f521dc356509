"""Signing in and API tokens: the checks that decide who a request is; a mistake here leaks accounts."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from sequencer.accounts.permissions import may_revoke_token
from sequencer.errors import Invalid, NotFound
from sequencer.models import ApiToken, User
from sequencer.platform import clock
from sequencer.texts import tr

TOKEN_PREFIX = "sq_"
NAME_MAX = 200
MAX_DAYS = 3650
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


def end_sessions(user: User) -> None:
    """Every session and remember cookie of the user stops working (their id carries the old generation)."""
    user.session_generation = (user.session_generation or 0) + 1


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_days(days: object) -> int | None:
    if days is None or days == "":
        return None
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise Invalid.field("expires_in_days",
                            tr("must be a whole number of days from 1 to %(max)s, or empty", max=MAX_DAYS))
    return days


def issue_token(session: Session, user: User, name: str = "", expires_in_days: object = None) -> tuple[ApiToken, str]:
    """Store a new token's hash; return the row and the token itself, which is never retrievable again."""
    name = (name or "").strip()
    if len(name) > NAME_MAX:
        raise Invalid.field("name", tr("at most %(max)s characters", max=NAME_MAX))
    days = _check_days(expires_in_days)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user=user, token_hash=_token_digest(token), prefix=token[:10], name=name, created_at=clock.now(),
                   expires_at=clock.now() + timedelta(days=days) if days else None)
    session.add(row)
    session.flush()
    return row, token


def create_api_token(session: Session, user: User, name: str = "") -> str:
    """A new token without expiry (the token only)."""
    return issue_token(session, user, name)[1]


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's unrevoked tokens (expired ones included, marked by their expiry), newest first."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(session: Session, actor: User, token_id: int) -> ApiToken:
    """Revoke one token: its owner or an admin; others get NotFound, so ids of others' tokens reveal nothing."""
    row = session.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None or not may_revoke_token(actor, row.user_id):
        raise NotFound(tr("no token %(id)s", id=token_id))
    row.revoked_at = clock.now()
    session.flush()
    return row


def revoke_all(session: Session, user: User) -> int:
    """Revoke every live token of `user`; the number revoked."""
    rows = list_tokens(session, user)
    for row in rows:
        row.revoked_at = clock.now()
    session.flush()
    return len(rows)


def is_expired(row: ApiToken) -> bool:
    return row.expires_at is not None and clock.now() >= row.expires_at


LAST_USED_GRANULARITY = timedelta(minutes=1)  # "last used" to the minute, not a write on every API call


def user_for_token(session: Session, token: str) -> User | None:
    """The active owner of a valid token: known, unrevoked and unexpired."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == _token_digest(token))).first()
    if row is None or row.revoked_at is not None or is_expired(row) or not row.user.active:
        return None
    now = clock.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_GRANULARITY:
        row.last_used_at = now
    return row.user
