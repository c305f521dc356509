"""An OAuth mailbox's grant: tokens encrypted at rest, refreshed before expiry, and "reconnect needed" when revoked.

A revoked or expired refresh token cannot be repaired by retrying: the mailbox is marked, its owner gets a
task, and the callers (SMTP sending, IMAP polling) pause it, so its messages wait in the queue untouched
until someone connects it again.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from sequencer.errors import Conflict
from sequencer.mailauth.apps import Client, client
from sequencer.mailauth.providers import for_auth
from sequencer.models import Mailbox, Task, TaskStatus
from sequencer.models.tasks import TaskType
from sequencer.platform import clock
from sequencer.platform.security import SecretBox

log = logging.getLogger(__name__)
REFRESH_MARGIN = timedelta(minutes=5)  # refresh this long before the provider's expiry
TIMEOUT = 15
REVOKED = {"invalid_grant", "unauthorized_client"}
RECONNECT_PREFIX = "reconnect needed"  # how a paused reason says the grant is gone (connecting again resumes)  # only a person can fix these: connect again


class OAuthUnusable(ValueError):
    """The mailbox cannot log in until a person acts; retrying alone will not help."""


class ReconnectNeeded(OAuthUnusable):
    """The grant is gone (revoked, expired, password changed): the mailbox must be connected again."""

    def __init__(self, reason: str):
        super().__init__(f"{RECONNECT_PREFIX}: {reason}")


class ClientMissing(OAuthUnusable):
    """The admin's OAuth client for the provider is gone or incomplete."""


class TokenUnavailable(OSError):
    """The provider could not be asked right now (down, timeout, bad answer): a temporary failure."""


def oauth_session(c: Client, **kwargs) -> OAuth2Session:
    """Authlib's client for one provider; the secret goes in the body, as both providers accept."""
    return OAuth2Session(c.client_id, c.client_secret, token_endpoint_auth_method="client_secret_post", **kwargs)


def store_grant(mailbox: Mailbox, token: dict, secrets: SecretBox, now: datetime) -> None:
    """Keep a token answer: the access token and its expiry, and the refresh token when one came."""
    if token.get("refresh_token"):
        mailbox.oauth_refresh_encrypted = secrets.encrypt(str(token["refresh_token"]))
    mailbox.oauth_access_encrypted = secrets.encrypt(str(token["access_token"]))
    try:
        lifetime = max(int(token.get("expires_in") or 3600), 0)
    except (TypeError, ValueError):
        lifetime = 3600
    mailbox.oauth_expires_at = now + timedelta(seconds=lifetime)


def access_token(mailbox: Mailbox, secrets: SecretBox, force: bool = False) -> str:
    """A usable access token: the stored one while it has REFRESH_MARGIN left, else a refreshed one."""
    if mailbox.oauth_reconnect_reason:
        raise ReconnectNeeded(mailbox.oauth_reconnect_reason)
    now = clock.now()
    if (not force and mailbox.oauth_access_encrypted and mailbox.oauth_expires_at is not None
            and mailbox.oauth_expires_at - REFRESH_MARGIN > now):
        return secrets.decrypt(mailbox.oauth_access_encrypted)
    return refresh(mailbox, secrets, now)


def refresh(mailbox: Mailbox, secrets: SecretBox, now: datetime) -> str:
    """Trade the refresh token for a new access token; a refused grant marks the mailbox "reconnect needed"."""
    session, provider = object_session(mailbox), for_auth(mailbox.auth)
    if session is None or provider is None:
        raise ValueError(f"mailbox {mailbox.email} has no OAuth grant to refresh")
    if not mailbox.oauth_refresh_encrypted:
        raise _revoked(session, mailbox, "no refresh token is stored", now)
    try:
        c = client(session, provider, secrets)
    except Conflict as exc:
        raise ClientMissing(exc.message) from None
    try:
        with oauth_session(c) as oauth:
            token = oauth.refresh_token(c.token_url, refresh_token=secrets.decrypt(mailbox.oauth_refresh_encrypted),
                                        timeout=TIMEOUT)
    except OAuthError as exc:
        if exc.error in REVOKED:
            raise _revoked(session, mailbox, f"{provider.label} refused the refresh token ({exc.error})", now) from None
        if exc.error == "invalid_client":  # e.g. the Microsoft client secret expired: the admin renews it
            raise ClientMissing(f"{provider.label} refused Sequencer's OAuth client (invalid_client): "
                                "an admin enters a new client secret in Settings → Mailboxes") from None
        raise TokenUnavailable(f"{provider.label} token endpoint: {exc.error}: {exc.description or ''}") from None
    except (requests.RequestException, ValueError) as exc:
        raise TokenUnavailable(f"{provider.label} token endpoint: {exc}") from None
    store_grant(mailbox, dict(token), secrets, now)
    log.info("mailbox %s: access token refreshed", mailbox.id)
    return str(token["access_token"])


def _revoked(session: Session, mailbox: Mailbox, why: str, now: datetime) -> ReconnectNeeded:
    mark_reconnect_needed(session, mailbox, why, now)
    return ReconnectNeeded(mailbox.oauth_reconnect_reason or why)


def mark_reconnect_needed(session: Session, mailbox: Mailbox, why: str, now: datetime) -> None:
    """Record that the grant is gone and give the owner one task to connect the mailbox again."""
    if mailbox.oauth_reconnect_reason:
        return
    mailbox.oauth_reconnect_reason = why[:1000]
    mailbox.oauth_access_encrypted = mailbox.oauth_expires_at = None
    log.warning("mailbox %s needs reconnecting: %s", mailbox.id, why)
    if mailbox.owner_id is not None:
        session.add(Task(type=TaskType.TODO, owner_id=mailbox.owner_id, priority=1, due_at=now,
                         dedupe_key=f"oauth-reconnect:{mailbox.id}:{now:%Y%m%dT%H%M%S%f}"[:120],
                         title=f"Reconnect your mailbox {mailbox.email}",
                         instructions=(f"Sending from {mailbox.email} is paused: {why}. Follow \"Reconnect it\" in "
                                       f"the banner (or open /mailboxes/{mailbox.id}/reconnect) and sign in again; "
                                       "the queued emails go out once it is connected.")))


def clear_reconnect(session: Session, mailbox: Mailbox, now: datetime) -> None:
    """The mailbox is connected again: no longer marked, and the owner's reconnect tasks are done."""
    mailbox.oauth_reconnect_reason = None
    for task in session.scalars(select(Task).where(Task.dedupe_key.like(f"oauth-reconnect:{mailbox.id}:%"),
                                                   Task.status == TaskStatus.OPEN)):
        task.status, task.completed_at, task.outcome = TaskStatus.DONE, now, "done"
