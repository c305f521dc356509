"""Fixtures for operating tests: a sequence open at every hour, SMTP mailboxes, and real child processes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sequencer.models import Sequence, SequenceStatus, Step, StepType, Variant
from sequencer.models.mail import SmtpSecurity, Transport
from sequencer.outreach.enrol import enroll
from sequencer.platform import clock
from tests.support.smtp_sink import Sink

ROOT = Path(__file__).resolve().parents[2]
ALWAYS = {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "window_start": "00:00", "window_end": "23:59",
          "holidays": "prospect", "fallback_timezone": "UTC"}
BODY_MARK = "Confidential-body-7f3a"


def open_sequence(factory, session, mailbox, steps: int = 1) -> Sequence:
    """An active sequence whose emails may go out at any hour of any day (the tests run whenever CI does)."""
    seq = Sequence(name=f"Ops {mailbox.email}", status=SequenceStatus.ACTIVE, owner_id=mailbox.owner_id,
                   schedule=dict(ALWAYS))
    seq.steps = [Step(position=p, type=StepType.AUTO_EMAIL, wait_days=0 if p == 1 else 1,
                      variants=[Variant(label="A", subject="Hello {{ prospect.first_name }}",
                                        body=f"{BODY_MARK} for {{{{ prospect.first_name }}}}")])
                 for p in range(1, steps + 1)]
    session.add(seq)
    session.commit()
    return seq


def smtp_mailbox(factory, sink: Sink, **kw):
    rep = kw.pop("owner", None) or factory.user("rep", timezone="UTC")
    return factory.mailbox(owner_id=rep.id, transport=Transport.SMTP, smtp_host="127.0.0.1", smtp_port=sink.port,
                           smtp_security=SmtpSecurity.NONE, min_interval_seconds=0, daily_limit=1000, **kw)


def enrol_many(factory, session, seq: Sequence, count: int, actor, mailbox_id: int | None = None) -> list[int]:
    ids = [factory.prospect(first_name=f"P{i}", timezone="UTC").id for i in range(count)]
    session.commit()
    result = enroll(session, seq, ids, actor=actor, now=clock.now(), mailbox_id=mailbox_id)
    assert not getattr(result, "skipped", None), result
    session.commit()
    return ids


@pytest.fixture
def child_env(app_config: dict, tmp_path: Path) -> dict[str, str]:
    """The environment a real `sequencer` process needs to share this test's database and Redis."""
    env = {k: v for k, v in os.environ.items() if k not in {"TEST_DATABASE_URL"}}
    env.update(DATABASE_URL=app_config["DATABASE_URL"], REDIS_URL=app_config["REDIS_URL"],
               SECRET_KEY=app_config["SECRET_KEY"], BASE_URL="http://sequencer.test",
               SEQUENCER_INSTANCE=str(tmp_path / "child-instance"), PYTHONPATH=str(ROOT), LOG_FORMAT="json")
    return env


@pytest.fixture
def spawn(child_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen]]:
    """Start `python -m sequencer ARGS` (or any argv) as a child; whatever is still running is stopped after."""
    procs: list[subprocess.Popen] = []

    def _spawn(*args: str, argv: list[str] | None = None, env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(tmp_path / f"child-{len(procs)}.log", "wb")  # noqa: SIM115  (closed with the process)
        proc = subprocess.Popen(argv or [sys.executable, "-m", "sequencer", *args], env={**child_env, **(env or {})},
                                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        proc.log_path = log.name  # type: ignore[attr-defined]
        procs.append(proc)
        return proc

    yield _spawn
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_for(predicate: Callable[[], object], timeout: float = 30, what: str = "condition") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def output(proc: subprocess.Popen) -> str:
    return Path(proc.log_path).read_text(errors="replace")  # type: ignore[attr-defined]
