"""A webhook receiver in its own process for bench/webhooks.py: verifies each signature with the standardwebhooks
library, counts deliveries and distinct webhook-ids, answers after `--sleep` seconds; GET /stats reports."""
from __future__ import annotations

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook

stats = {"requests": 0, "verified": 0, "bad_signature": 0}
seen: set[str] = set()
lock = threading.Lock()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--sleep", type=float, default=0.0)
    args = parser.parse_args()
    hook = Webhook(args.secret)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else each answer waits ~40 ms for a delayed ACK

        def log_message(self, *a):
            pass

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            with lock:
                self._answer(200, json.dumps({**stats, "distinct": len(seen)}).encode())

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if args.sleep:
                time.sleep(args.sleep)
            try:
                hook.verify(body, dict(self.headers.items()), json_parse=False)
                ok = True
            except Exception:  # noqa: BLE001
                ok = False
            with lock:
                stats["requests"] += 1
                stats["verified" if ok else "bad_signature"] += 1
                if ok:
                    seen.add(self.headers["webhook-id"])
            self._answer(200 if ok else 401, b"ok")

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
