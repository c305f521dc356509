"""Sentry only with SENTRY_DSN; gunicorn's child_exit marks the worker's metrics dead; the WSGI entry imports."""
from __future__ import annotations

import importlib

import pytest
import sentry_sdk

from sequencer.app import create_app
from sequencer.ops.waiting import category
from sequencer.runtime import gunicorn_conf, metrics, sentry


@pytest.fixture
def sentry_calls(monkeypatch):
    calls: list[dict] = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **kw: calls.append(kw))
    monkeypatch.setattr(sentry, "_initialised", set())
    return calls


def test_sentry_starts_with_the_dsn_for_web_and_workers(app_config, sentry_calls, redis_conn):
    dsn = "https://public@sentry.example.com/1"
    create_app({**app_config, "SENTRY_DSN": dsn})
    assert len(sentry_calls) == 1 and sentry_calls[0]["dsn"] == dsn
    assert sentry_calls[0]["send_default_pii"] is False
    from sequencer.runtime.worker import run_worker

    worker_app = create_app({**app_config, "SENTRY_DSN": "https://other@sentry.example.com/2"})
    sentry_calls.clear()
    sentry._initialised.clear()  # as in a fresh `sequencer worker` process
    run_worker(worker_app, burst=True)
    assert [c["dsn"] for c in sentry_calls] == ["https://other@sentry.example.com/2"]


def test_no_sentry_without_a_dsn(app_config, sentry_calls, redis_conn):
    from sequencer.runtime.worker import run_worker

    run_worker(create_app({**app_config, "SENTRY_DSN": None}), burst=True)
    assert sentry_calls == []


def test_gunicorn_child_exit_marks_the_process_dead(monkeypatch, tmp_path):
    dead: list[int] = []
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    monkeypatch.setattr(metrics.multiprocess, "mark_process_dead", lambda pid: dead.append(pid))

    class Worker:
        pid = 4242

    gunicorn_conf.child_exit(None, Worker())
    assert dead == [4242]
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")
    gunicorn_conf.child_exit(None, Worker())
    assert dead == [4242]  # nothing to mark outside multiprocess mode


def test_the_installed_entry_point_is_importable():
    assert gunicorn_conf.wsgi_app == "sequencer.wsgi:app"
    module, name = gunicorn_conf.wsgi_app.split(":")
    assert importlib.import_module(module).__dict__[name].name == "sequencer.app"


@pytest.mark.parametrize(("why", "expected"), [
    (None, "not_dispatched"), ("mailbox paused: bounces", "mailbox_paused"),
    ("mailbox daily limit 50/50, next Mon 09:00 UTC", "daily_limit"),
    ("mailbox throttled, next slot Mon 09:01 UTC", "throttled"),
    ("recipient domain limit 5/5 for x.com today", "domain_limit"),
    ("the sender is out of office until 2026-12-10", "sender_away"),
    ("retry after a soft bounce: 4.2.2", "soft_bounce_retry"), ("claim expired, queued again", "claim_expired"),
    ("worker stopped before sending, queued again", "worker_stopped"), ("something new", "other"),
])
def test_why_waiting_categories(why, expected):
    assert category(why) == expected
