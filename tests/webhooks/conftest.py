"""Webhook tests reach their loopback receivers through the allow-list, as an admin would configure it."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from sequencer.extensions import db
from sequencer.webhooks.drain import DrainSettings, settings_from
from tests.webhooks.receiver import Receiver


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "WEBHOOK_ALLOWED_PRIVATE": "127.0.0.1"}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def drain_settings(app) -> DrainSettings:
    base = settings_from(app.config)
    return DrainSettings(box=base.box, allow=base.allow, budget=timedelta(seconds=5), timeout=3.0)


@pytest.fixture
def add_endpoint(app, factory):
    """An endpoint (via the service) pointed at a receiver, which learns its secret."""
    from sequencer.platform import clock
    from sequencer.webhooks import endpoints

    manager = factory.user("manager")

    def add(receiver: Receiver, events: list[str] | None = None, url: str | None = None):
        endpoint, secret = endpoints.create(db.session, manager, {"url": url or receiver.url, "events": events or ["*"]},
                                            settings_from(app.config).allow, settings_from(app.config).box,
                                            clock.now())
        db.session.commit()
        receiver.secrets.append(secret)
        return endpoint

    add.manager = manager
    return add
