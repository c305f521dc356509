"""The HTTP side: a kept-alive connection the receiver closed is retried once on a fresh one, not counted
as a failure; a timeout is an answer-less attempt."""
from __future__ import annotations

import socket
import threading

from sequencer.webhooks.guard import Target
from sequencer.webhooks.transport import Connection


def _server(handler) -> tuple[socket.socket, int]:
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)

    def loop():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=handler, args=(conn,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return srv, srv.getsockname()[1]


def _read_request(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int([line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")][0])
    while len(body) < length:
        body += conn.recv(65536)


def test_a_keep_alive_connection_closed_by_the_receiver_is_retried_fresh():
    def answer_once_then_close(conn):
        _read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")  # says keep-alive, then hangs up
        conn.close()

    srv, port = _server(answer_once_then_close)
    try:
        c = Connection(Target("http", "127.0.0.1", port, "/", "127.0.0.1"), timeout=2)
        assert [c.post(b"{}", {}).status for _ in range(3)] == [200, 200, 200]
    finally:
        srv.close()


def test_a_receiver_that_never_answers_times_out():
    def silent(conn):
        _read_request(conn)
        threading.Event().wait(3)
        conn.close()

    srv, port = _server(silent)
    try:
        answer = Connection(Target("http", "127.0.0.1", port, "/", "127.0.0.1"), timeout=0.5).post(b"{}", {})
        assert answer.status is None and "timed out" in answer.error
    finally:
        srv.close()
