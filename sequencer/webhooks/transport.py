"""One HTTP POST to a checked address: keep-alive per endpoint, TLS verified against the host name,
redirects never followed (a 3xx is just a failed attempt), a hard timeout."""
from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from sequencer.webhooks.guard import Target

TIMEOUT_SECONDS = 15.0
BODY_KEEP = 2000
STALE = ("RemoteDisconnected", "BrokenPipeError", "ConnectionResetError")  # a kept-alive socket the peer closed


@dataclass
class Answer:
    status: int | None
    body: str
    headers: dict[str, str]
    latency_ms: int
    error: str | None = None


class _Pinned(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.target = target

    def connect(self) -> None:
        self.sock = socket.create_connection((self.target.address, self.target.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.target.scheme == "https":
            context = ssl.create_default_context()
            self.sock = context.wrap_socket(self.sock, server_hostname=self.target.host)


class Connection:
    """A reusable connection to one endpoint's address (reopened after an error)."""

    def __init__(self, target: Target, timeout: float = TIMEOUT_SECONDS):
        self.target, self.timeout = target, timeout
        self._conn: _Pinned | None = None

    def post(self, body: bytes, headers: dict[str, str]) -> Answer:
        reused = self._conn is not None
        answer = self._post(body, headers)
        if answer.status is None and reused and (answer.error or "").startswith(STALE):
            answer = self._post(body, headers)  # the receiver closed an idle kept-alive connection: once more, fresh
        return answer

    def _post(self, body: bytes, headers: dict[str, str]) -> Answer:
        started = time.monotonic()
        try:
            if self._conn is None:
                self._conn = _Pinned(self.target, self.timeout)
            self._conn.request("POST", self.target.path, body=body,
                               headers={**headers, "Content-Type": "application/json", "User-Agent": "Sequencer-Webhooks/1"})
            response = self._conn.getresponse()
            text = response.read(BODY_KEEP * 32).decode("utf-8", "replace")[:BODY_KEEP]
            if response.will_close or not response.isclosed():  # a huge body is not read to its end
                self.close()
            return Answer(response.status, text, {k.lower(): v for k, v in response.getheaders()},
                          int((time.monotonic() - started) * 1000))
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            return Answer(None, "", {}, int((time.monotonic() - started) * 1000), f"{type(exc).__name__}: {exc}"[:500])

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
