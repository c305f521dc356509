"""An SMTP sink in its own process, so killing senders never touches it: one Message-ID per line.

    python -m tests.mail.sink_process --log FILE [--delay-ms N]

Prints `ready <port>` once it listens on a free loopback port. Every message received (end of DATA)
has its Message-ID appended to FILE (one os.write per line on an O_APPEND descriptor: lines never
interleave) before the optional delay and the 250 reply, so a sender killed while waiting for the
reply leaves a copy here: the case that must end `uncertain`, never resent. Used by the chaos test
and by bench/send_throughput.py.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

from aiosmtpd.controller import Controller

from tests.support.smtp_sink import free_port

_MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)


class RecordingHandler:
    def __init__(self, log_fd: int, delay: float):
        self.log_fd, self.delay = log_fd, delay

    async def handle_DATA(self, server, session, envelope):
        head = envelope.original_content or envelope.content
        head = head[:head.find(b"\r\n\r\n")] if b"\r\n\r\n" in head else head
        match = _MESSAGE_ID.search(head)
        os.write(self.log_fd, (match.group(1) if match else b"<none>") + b"\n")
        if self.delay:  # the message is kept before the reply: a sender killed now leaves a copy here
            await asyncio.sleep(self.delay)
        return "250 2.0.0 queued"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--delay-ms", type=float, default=0.0)
    args = parser.parse_args()
    fd = os.open(args.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    port = free_port()
    controller = Controller(RecordingHandler(fd, args.delay_ms / 1000), hostname="127.0.0.1", port=port,
                            data_size_limit=0)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"ready {port}", flush=True)
    stop.wait()
    controller.stop()
    os.close(fd)


class SinkProcess:
    """Start the sink as a child process (its own session), read its port, stop it on exit."""

    def __init__(self, log: Path, delay_ms: float = 0.0, cwd: str | None = None):
        self.log, self.delay_ms, self.cwd = Path(log), delay_ms, cwd
        self.proc: subprocess.Popen | None = None
        self.port = 0

    def __enter__(self) -> SinkProcess:
        root = str(Path(__file__).resolve().parents[2])
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.mail.sink_process", "--log", str(self.log),
             "--delay-ms", str(self.delay_ms)],
            cwd=self.cwd or root, stdout=subprocess.PIPE, text=True, start_new_session=True)
        line = self.proc.stdout.readline()
        if not line.startswith("ready "):
            self.proc.kill()
            raise RuntimeError(f"SMTP sink did not start: {line!r}")
        self.port = int(line.split()[1])
        return self

    def message_ids(self) -> list[str]:
        return self.log.read_text().split() if self.log.exists() else []

    def count(self) -> int:
        with open(self.log, "rb") as fh:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


if __name__ == "__main__":
    main()
