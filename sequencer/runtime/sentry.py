"""Error reporting: SENTRY_DSN turns sentry-sdk on for the web app and the workers; without it, nothing is
imported or sent. No request bodies or personal data are attached (`send_default_pii` stays off)."""
from __future__ import annotations

_initialised: set[str] = set()


def init(dsn: str | None, component: str) -> bool:
    """Start Sentry once per process when a DSN is set; returns whether it is on."""
    if not dsn:
        return False
    if dsn in _initialised:
        return True
    import sentry_sdk

    sentry_sdk.init(dsn=dsn, send_default_pii=False, max_request_body_size="never",
                    server_name=None, environment=None, release=None, default_integrations=True,
                    traces_sample_rate=0.0)
    sentry_sdk.set_tag("component", component)
    _initialised.add(dsn)
    return True
