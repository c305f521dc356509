"""Signed tokens for the links inside emails: open pixel, click redirect, unsubscribe.

A token names what it is for (its salt) and carries ids, signed with SECRET_KEY: a tampered or
swapped token is refused, and one prospect's unsubscribe token can't act on another.
"""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from itsdangerous import BadSignature, URLSafeSerializer

from sequencer.platform.addresses import host_within

OPEN, CLICK, UNSUBSCRIBE = "open", "click", "unsubscribe"


@lru_cache(maxsize=32)  # three or more links per email sent: build each kind's serializer once
def _serializer(secret: str, kind: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=f"sequencer-{kind}")


def sign(secret: str, kind: str, payload: dict) -> str:
    return _serializer(secret, kind).dumps(payload)


def verify(secret: str, kind: str, token: str) -> dict | None:
    """The payload of a genuine token of this kind, else None."""
    try:
        payload = _serializer(secret, kind).loads(token)
    except BadSignature:
        return None
    return payload if isinstance(payload, dict) else None


def open_url(base: str, secret: str, run_id: int) -> str:
    return f"{base}/t/o/{sign(secret, OPEN, {'r': run_id})}"


def click_url(base: str, secret: str, run_id: int, target: str) -> str:
    return f"{base}/t/c/{sign(secret, CLICK, {'r': run_id, 'u': target})}"


def one_off_click_url(base: str, secret: str, one_off_id: int, target: str) -> str:
    """A click in a one-off email: the token names the one-off (`o`), not a step run."""
    return f"{base}/t/c/{sign(secret, CLICK, {'o': one_off_id, 'u': target})}"


def unsubscribe_url(base: str, secret: str, prospect_id: int, run_id: int | None = None) -> str:
    return f"{base}/u/{sign(secret, UNSUBSCRIBE, {'p': prospect_id, 'r': run_id})}"


def trackable(target: str, domains: list[str]) -> bool:
    """Whether a link a rep wrote may get a signed click redirect: http(s) to one of the workspace's domains."""
    try:
        parts = urlsplit(target)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and host_within(parts.hostname, domains)
