"""An IMAP server on loopback that breaks the protocol on purpose, for the inbound client's failure paths."""
from __future__ import annotations

import contextlib
import re
import socket
import threading


class MisbehavingImapServer:
    """A loopback TCP server that breaks the IMAP protocol in a chosen way.

    Modes: "garbage" (non-IMAP greeting, then silence with the socket held open), "disconnect"
    (close on accept), "disconnect_after_login" (valid greeting, CAPABILITY and LOGIN answered OK,
    then hang up on the next command), "silent" (accept and never send a greeting).
    """

    MODES = ("garbage", "disconnect", "disconnect_after_login", "silent")

    def __init__(self, mode: str = "garbage") -> None:
        self.set_mode(mode)
        self.connections = 0
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.1)
        self.host, self.port = self._listener.getsockname()
        self._stopping = threading.Event()
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, name="misbehaving-imap", daemon=True)
        self._thread.start()

    def set_mode(self, mode: str) -> None:
        """Choose the behaviour for connections accepted from now on."""
        if mode not in self.MODES:
            raise ValueError(f"unknown mode {mode!r}; choose from {self.MODES}")
        self.mode = mode

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._open.append(conn)
            threading.Thread(target=self._handle, args=(conn, self.mode), daemon=True).start()

    def _handle(self, conn: socket.socket, mode: str) -> None:
        try:
            if mode == "disconnect":
                conn.close()
            elif mode == "garbage":
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\x00\xff\xfe\x01junk\r\n")
                self._stopping.wait()
            elif mode == "silent":
                self._stopping.wait()
            else:
                self._speak_until_login(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def _speak_until_login(self, conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        conn.sendall(b"* OK IMAP4rev1 Service Ready\r\n")
        logged_in = False
        while not self._stopping.is_set():
            line = reader.readline()
            if not line or logged_in:
                return  # the command after LOGIN: hang up without a reply
            match = re.search(rb"\{(\d+)\+?\}\r\n$", line)
            if match:  # a literal (e.g. a non-ASCII password): ask for it, read it, read the rest
                conn.sendall(b"+ go ahead\r\n")
                reader.read(int(match.group(1)))
                reader.readline()
            tag, _, rest = line.partition(b" ")
            command = rest.split(b" ", 1)[0].strip().upper()
            if command == b"CAPABILITY":
                conn.sendall(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK CAPABILITY completed\r\n")
            elif command == b"LOGIN":
                conn.sendall(tag + b" OK LOGIN completed\r\n")
                logged_in = True
            elif command == b"LOGOUT":
                conn.sendall(b"* BYE\r\n" + tag + b" OK LOGOUT completed\r\n")
                return
            else:
                conn.sendall(tag + b" BAD command unknown or not allowed before LOGIN\r\n")

    def stop(self) -> None:
        """Stop accepting, close every connection and join the thread."""
        self._stopping.set()
        self._listener.close()
        self._thread.join(timeout=2)
        with self._lock:
            for conn in self._open:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
