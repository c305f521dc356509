"""Structured logs: one JSON object per line, with request/user or job/claim ids, and no secret or body."""
from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from sequencer.platform import queues
from sequencer.runtime import logs
from sequencer.runtime.worker import run_worker
from tests.conftest import login
from tests.ops.conftest import BODY_MARK, enrol_many, open_sequence

PASSWORD = "Hunter2-very-secret-Pw"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """LOG_FORMAT=json into a buffer; the root logger's handlers come back afterwards."""
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    stream = io.StringIO()
    logs.configure("json", stream=stream)
    yield stream
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved:
        root.addHandler(handler)
    root.setLevel(level)
    logs.clear()


def _lines(stream: io.StringIO) -> list[dict]:
    raw = [line for line in stream.getvalue().splitlines() if line.strip()]
    return [json.loads(line) for line in raw]  # every line is one JSON object


def test_web_lines_carry_request_and_user_ids_and_never_the_password(client, factory, session, captured):
    user = factory.user("rep", password=PASSWORD)
    session.commit()
    assert login(client, user.email, PASSWORD).status_code == 302
    reply = client.get("/tasks", headers={"X-Request-ID": "abc-123"})
    assert reply.status_code == 200
    client.get(f"/u/{'x' * 40}?token=secret-query-value")  # a signed link: the token is in the path

    lines = _lines(captured)
    requests = [line for line in lines if line["message"] == "request"]
    assert len(requests) == 3
    assert all(line["level"] and line["time"] and line["request_id"] for line in requests)
    login_line, tasks_line, link_line = requests
    assert link_line["endpoint"] == "/u/<token>"
    assert login_line["endpoint"] == "/login" and login_line["method"] == "POST" and login_line["status"] == 302
    assert tasks_line["request_id"] == "abc-123" and tasks_line["user_id"] == user.id
    assert reply.headers["X-Request-ID"] == "abc-123"
    text = captured.getvalue()
    assert PASSWORD not in text and "secret-query-value" not in text and "x" * 40 not in text


def test_worker_lines_carry_job_id_and_claim_token_and_never_the_body(app, factory, session, redis_conn, captured):
    mailbox = factory.mailbox(owner=factory.user("rep", timezone="UTC"), min_interval_seconds=0)  # outbox transport
    seq = open_sequence(factory, session, mailbox)
    enrol_many(factory, session, seq, 1, mailbox.owner, mailbox_id=mailbox.id)
    queues.enqueue(queues.DISPATCH, "workers.jobs.dispatch", connection=redis_conn)
    run_worker(app, burst=True)

    lines = _lines(captured)
    send_lines = [line for line in lines if str(line.get("job_id", "")).startswith("send-")]
    assert send_lines, lines
    assert all(line["claim_token"] == line["job_id"].removeprefix("send-") for line in send_lines)
    assert any(line.get("job_id") and "claim_token" not in line for line in lines)  # the dispatch job's own lines
    text = captured.getvalue()
    assert BODY_MARK not in text and "Hello P0" not in text


def test_log_format_is_chosen_by_the_environment():
    assert logs.log_format({"LOG_FORMAT": "json"}) == "json"
    assert logs.log_format({"LOG_FORMAT": "TEXT"}) == "text"
    assert logs.log_format({}) == "text"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    assert logs.formatter("text").format(record).endswith("INFO x: hello")
    assert json.loads(logs.formatter("json").format(record))["message"] == "hello"
