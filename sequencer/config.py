"""Settings from the environment, validated up front so a typo stops start-up with one clear line."""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from limits import parse as parse_limit
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

REDIS_SCHEMES = {"redis", "rediss", "unix"}


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


def default_instance_path() -> Path:
    return Path(os.environ.get("SEQUENCER_INSTANCE") or Path.cwd() / "instance").resolve()


def validate_database_url(url: str) -> str:
    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018  (a non-numeric port only fails when read)
    except (ArgumentError, ValueError) as exc:
        raise ConfigError(f"DATABASE_URL is not a valid database URL ({exc})") from None
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigError(
            f"DATABASE_URL must be a sqlite:/// or postgresql+psycopg:// URL, got {parsed.drivername!r}"
        )
    return url


def validate_redis_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in REDIS_SCHEMES:
        raise ConfigError("REDIS_URL must start with redis://, rediss:// or unix://")
    if parts.scheme == "unix" and not parts.path:
        raise ConfigError("REDIS_URL unix:// needs a socket path")
    if parts.scheme != "unix":
        try:
            _ = parts.port  # raises ValueError for a port that is not a number or out of range
        except ValueError:
            raise ConfigError("REDIS_URL has an invalid port") from None
        if not parts.hostname:
            raise ConfigError("REDIS_URL needs a host")
    return url


def _secret_key(instance: Path, env: Mapping[str, str]) -> str:
    """Use SECRET_KEY, else one generated once and kept in the instance folder."""
    if env.get("SECRET_KEY"):
        return env["SECRET_KEY"]
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _whole(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (env.get(name) or str(default)).strip()
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigError(f"{name} must be a whole number between {low} and {high}")
    return int(raw)


def _rate(env: Mapping[str, str], name: str, default: str) -> str:
    text = (env.get(name) or default).strip()
    try:
        ok = parse_limit(text).amount >= 1
    except ValueError:
        ok = False
    if not ok:
        raise ConfigError(f"{name} must be a rate such as '10 per minute'")
    return text


def load_settings(env: Mapping[str, str] | None = None) -> dict:
    """Flask config keys from the environment, with the embedded one-machine defaults."""
    env = os.environ if env is None else env
    instance = Path(env.get("SEQUENCER_INSTANCE") or default_instance_path()).resolve()
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'sequencer.db'}"
    redis_url = env.get("REDIS_URL") or None
    base_url = env.get("BASE_URL") or "http://127.0.0.1:5000"
    if urlsplit(base_url).scheme not in {"http", "https"}:
        raise ConfigError("BASE_URL must be an absolute http(s) URL")
    return {
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": validate_database_url(database_url),
        "REDIS_URL": validate_redis_url(redis_url) if redis_url else None,
        "SECRET_KEY": _secret_key(instance, env),
        "BASE_URL": base_url.rstrip("/"),
        "INBOUND_SECRET": env.get("INBOUND_SECRET") or None,
        # hosts or CIDRs webhooks may reach although private or loopback (plain http allowed for them)
        "WEBHOOK_ALLOWED_PRIVATE": env.get("WEBHOOK_ALLOWED_PRIVATE") or "",
        "OUTBOX_DIR": str(instance / "outbox"),
        "LOGIN_THROTTLE_ENABLED": True,
        "LOGIN_RATE_LIMIT": _rate(env, "LOGIN_RATE_LIMIT", "10 per minute"),  # failed sign-ins per account
        "LOGIN_ADDRESS_RATE_LIMIT": _rate(env, "LOGIN_ADDRESS_RATE_LIMIT", "30 per minute"),  # per client address
        "FORM_IP_RATE_LIMIT": _rate(env, "FORM_IP_RATE_LIMIT", "20 per minute"),  # form posts per client address
        "FORM_RATE_LIMIT": _rate(env, "FORM_RATE_LIMIT", "600 per minute"),  # posts per form, all addresses
        "FORM_MAX_BYTES": _whole(env, "FORM_MAX_KB", 16, 1, 1024) * 1024,  # one form submission's body
        "FORM_MIN_FILL_SECONDS": _whole(env, "FORM_MIN_FILL_SECONDS", 3, 0, 60),
        "TRUSTED_PROXIES": _whole(env, "TRUSTED_PROXIES", 0, 0, 5),
        "MAX_CONTENT_LENGTH": _whole(env, "MAX_CONTENT_LENGTH_KB", 2048, 16, 1024 * 1024) * 1024,  # any request
        "UPLOAD_MAX_BYTES": _whole(env, "UPLOAD_MAX_MB", 64, 1, 1024) * 1024 * 1024,  # CSV imports, inbound mail
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": base_url.startswith("https://"),
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": base_url.startswith("https://"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_DURATION": timedelta(days=_whole(env, "REMEMBER_DAYS", 14, 1, 365)),
        "WTF_CSRF_TIME_LIMIT": None,
        # how long a send claim holds before the next dispatch takes it back (> delivery.SAFETY_MARGIN)
        "SEND_LEASE_SECONDS": _whole(env, "SEND_LEASE_SECONDS", 120, 15, 3600),
        "SEND_BATCH_SIZE": _whole(env, "SEND_BATCH_SIZE", 200, 1, 1000),  # emails per claim (one job)
        # the DNS server the deliverability checks ask (empty: the system's resolvers)
        "DNS_NAMESERVER": env.get("DNS_NAMESERVER") or None,
        "DNS_PORT": _whole(env, "DNS_PORT", 53, 1, 65535),
        "METRICS_TOKEN": env.get("METRICS_TOKEN") or None,  # /metrics answers only with this bearer token
        "SENTRY_DSN": env.get("SENTRY_DSN") or None,
        "SECRET_KEY_FROM_ENV": bool(env.get("SECRET_KEY")),  # `doctor`: a generated key differs per host
    }
