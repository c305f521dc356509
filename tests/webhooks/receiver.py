"""A real HTTP receiver on loopback for webhook tests: verifies every request with the standardwebhooks
library (as a customer's receiver would) and answers as told (fail N times, sleep, a status, Retry-After)."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Behaviour:
    status: int = 200
    fail_times: int = 0  # answer `fail_status` this many times first
    fail_status: int = 500
    sleep: float = 0.0
    headers: dict = field(default_factory=dict)


class Receiver:
    def __init__(self, secret: str | None = None):
        self.secrets: list[str] = [secret] if secret else []
        self.behaviour = Behaviour()
        self.received: list[dict] = []  # verified deliveries: {id, body, headers}
        self.rejected: list[dict] = []  # requests whose signature did not verify
        self.requests = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                receiver._handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self.lock:
            self.requests += 1
            b = self.behaviour
            failing = b.fail_times > 0
            if failing:
                b.fail_times -= 1
        if b.sleep:
            time.sleep(b.sleep)
        status = b.fail_status if failing else b.status
        if 200 <= status < 300:
            verified = self._verify(body, headers)
            with self.lock:
                (self.received if verified else self.rejected).append(
                    {"id": headers.get("webhook-id"), "body": json.loads(body), "headers": headers})
            if not verified:
                status = 401
        payload = b"ok" if status < 300 else b"nope"
        handler.send_response(status)
        for k, v in b.headers.items():
            handler.send_header(k, v)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _verify(self, body: bytes, headers: dict) -> bool:
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers)
                return True
            except WebhookVerificationError:
                continue
        return False

    def ids(self) -> list[str]:
        return [r["id"] for r in self.received]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
