"""Website visitors we know: a short signed token rides on the click redirect to a site the workspace lists,
the snippet keeps it as a first-party cookie there and sends it back with each page view. Only tokens we
signed are accepted, only from listed sites, only while tracking is on, never when the browser says no."""
from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from sequencer.scoring import config, ingest

PARAM = "sqv"  # the query parameter the snippet looks for
SALT = "sequencer-visitor-v1"


def sign(secret: str, prospect_id: int) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps(prospect_id)


def verify(secret: str, token: str) -> int | None:
    """The prospect id inside a token we signed, else None (forged, truncated, from elsewhere)."""
    try:
        value = URLSafeSerializer(secret, salt=SALT).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def tracked(session: Session, url: str) -> bool:
    """Tracking is on and `url` is on one of the sites the workspace lists (the host, or a subdomain of it)."""
    tracking = config.current(session).tracking or {}
    host = _host(url)
    return bool(tracking.get("enabled")) and bool(host) and any(
        host == site.split(":")[0] or host.endswith("." + site.split(":")[0]) for site in tracking.get("sites") or [])


def decorate(session: Session, secret: str, url: str, prospect_id: int | None) -> str:
    """The click redirect's destination with the visitor token added, when that site is tracked."""
    if prospect_id is None or not tracked(session, url):
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != PARAM]
    query.append((PARAM, sign(secret, prospect_id)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def page_view(session: Session, secret: str, token: object, url: object, title: object, now: datetime) -> bool:
    """Record one page view from the snippet; False (nothing stored) unless every check passes."""
    prospect_id = verify(secret, token) if isinstance(token, str) and len(token) < 200 else None
    if prospect_id is None or not isinstance(url, str) or len(url) > 2000 or not tracked(session, url):
        return False
    result = ingest.receive(session, [{"prospect_id": prospect_id, "kind": "page_view", "occurred_at": now.isoformat(),
                                       "properties": {"url": url, "title": str(title or "")[:300]}}], now,
                            source="snippet")
    return result.accepted == 1
