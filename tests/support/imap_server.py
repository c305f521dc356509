"""A real IMAP server (Dovecot) on loopback for the inbound-mail tests, plus a scripted broken one."""
from __future__ import annotations

import base64
import ctypes
import grp
import imaplib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

DOVECOT = Path("/usr/sbin/dovecot")
USERNAME = "rep@sequencer.test"
PASSWORD = "imap-test-password"
START_TIMEOUT = 10.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _quote(name: str) -> str:
    """An IMAP quoted string (imaplib passes mailbox names through unquoted)."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mailbox(name: str) -> str:
    """A folder name in modified UTF-7 (RFC 3501 5.1.3), quoted."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            encoded = base64.b64encode("".join(run).encode("utf-16-be")).rstrip(b"=").replace(b"/", b",")
            out.append("&" + encoded.decode() + "-")
            run.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    return _quote("".join(out))


def _ok(result: tuple[str, list], what: str) -> list:
    """The data of an imaplib result, or an error naming the command."""
    typ, data = result
    if typ != "OK":
        raise RuntimeError(f"IMAP {what} failed: {typ} {data!r}")
    return data


_LIST_LINE = re.compile(rb'\((?P<flags>[^)]*)\) (?:NIL|"(?:[^"\\]|\\.)*") (?P<name>.*)$')


def _list_entries(data: list) -> list[tuple[bytes, str]]:
    """(flags, raw mailbox name) for each LIST reply line; names stay in modified UTF-7."""
    entries = []
    for item in data:
        if item is None:
            continue
        if isinstance(item, tuple):  # name sent as a literal
            head, name = item[0], item[1]
            flags = _LIST_LINE.match(head + b'""').group("flags")
        else:
            match = _LIST_LINE.match(item)
            flags, name = match.group("flags"), match.group("name")
            if name.startswith(b'"'):
                name = re.sub(rb"\\(.)", rb"\1", name[1:-1])
        entries.append((flags, name.decode("ascii")))
    return entries


@dataclass
class DovecotServer:
    host: str
    port: int
    username: str
    password: str
    log_path: Path
    process: subprocess.Popen | None = field(default=None, repr=False)
    cleanup_dirs: list[Path] = field(default_factory=list, repr=False)

    @contextmanager
    def connect(self) -> Iterator[imaplib.IMAP4]:
        """A logged-in imaplib connection, logged out afterwards."""
        conn = imaplib.IMAP4(self.host, self.port, timeout=10)
        try:
            _ok(conn.login(self.username, self.password), "LOGIN")
            yield conn
        finally:
            try:
                conn.logout()
            except (imaplib.IMAP4.error, OSError):
                pass

    def append(self, folder: str, raw: bytes, flags: tuple[str, ...] | list[str] = ()) -> None:
        """Deliver a raw RFC 5322 message into a folder, e.g. flags=("\\Seen",)."""
        with self.connect() as conn:
            _ok(conn.append(_mailbox(folder), "(" + " ".join(flags) + ")" if flags else None, None, raw),
                f"APPEND {folder}")

    def create_folder(self, name: str) -> None:
        """Create a folder (use "." as the hierarchy separator, e.g. "Sales.Leads")."""
        with self.connect() as conn:
            _ok(conn.create(_mailbox(name)), f"CREATE {name}")

    def folders(self) -> list[str]:
        """Raw (modified UTF-7) names of every folder, INBOX included."""
        with self.connect() as conn:
            return [name for _, name in _list_entries(_ok(conn.list(), "LIST"))]

    def _status(self, folder: str, item: str) -> int:
        with self.connect() as conn:
            data = _ok(conn.status(_mailbox(folder), f"({item})"), f"STATUS {folder}")
        return int(re.search(rb"%s (\d+)" % item.encode(), data[0]).group(1))

    def count(self, folder: str) -> int:
        """How many messages the folder holds."""
        return self._status(folder, "MESSAGES")

    def uidvalidity(self, folder: str) -> int:
        """The folder's UIDVALIDITY."""
        return self._status(folder, "UIDVALIDITY")

    def seen_flags(self, folder: str) -> list[bool]:
        r"""Whether each message (in UID order) carries \Seen; EXAMINE + FETCH FLAGS never sets it."""
        with self.connect() as conn:
            count = int(_ok(conn.select(_mailbox(folder), readonly=True), f"EXAMINE {folder}")[0])
            if not count:
                return []
            rows = []
            for line in _ok(conn.fetch("1:*", "(UID FLAGS)"), "FETCH"):
                line = line[0] if isinstance(line, tuple) else line
                uid = int(re.search(rb"UID (\d+)", line).group(1))
                rows.append((uid, b"\\Seen" in imaplib.ParseFlags(line)))
            return [seen for _, seen in sorted(rows)]

    def clear(self) -> None:
        """Expunge every message in every folder and delete every folder but INBOX."""
        with self.connect() as conn:
            entries = _list_entries(_ok(conn.list(), "LIST"))
            for flags, name in entries:
                if b"\\noselect" in flags.lower() or b"\\nonexistent" in flags.lower():
                    continue
                if int(_ok(conn.select(_quote(name)), f"SELECT {name}")[0]):
                    _ok(conn.store("1:*", "+FLAGS.SILENT", "(\\Deleted)"), "STORE")
                    _ok(conn.expunge(), "EXPUNGE")
                conn.close()
            for _, name in sorted(entries, key=lambda entry: entry[1].count("."), reverse=True):
                if name.upper() != "INBOX":
                    conn.delete(_quote(name))  # a \Noselect parent may already be gone
            for _, name in _list_entries(_ok(conn.lsub(), "LSUB")):
                conn.unsubscribe(_quote(name))
            left = [name for _, name in _list_entries(_ok(conn.list(), "LIST")) if name.upper() != "INBOX"]
            if left:
                raise RuntimeError(f"could not delete IMAP folders {left}")

    def log_tail(self, lines: int = 20) -> str:
        """The end of Dovecot's log file."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop Dovecot (and its login/imap children) and remove out-of-tree runtime dirs."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for path in self.cleanup_dirs:
            shutil.rmtree(path, ignore_errors=True)


def _die_with_parent() -> None:
    """Ask Linux to SIGTERM Dovecot if the test run dies without stopping it."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _user(name: str, fallback: str = "nobody") -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return pwd.getpwnam(fallback)


def start_dovecot(tmp_dir: Path) -> DovecotServer:
    """Start Dovecot (IMAP only, plaintext LOGIN, one maildir user) on a free 127.0.0.1 port."""
    tmp_dir = Path(tmp_dir).resolve()
    tmp_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    cleanup: list[Path] = []
    base_dir = tmp_dir / "run"
    if len(str(base_dir)) > 70:  # unix socket paths (base_dir/<name>) must stay under 108 bytes
        base_dir = Path(tempfile.mkdtemp(prefix="dovecot-"))
        cleanup.append(base_dir)
    mail_root = tmp_dir / "mail"
    home = mail_root / "rep"
    home.mkdir(parents=True, exist_ok=True)
    log_path = tmp_dir / "dovecot.log"
    users_file = tmp_dir / "users"

    if os.geteuid() == 0:
        # As root, Dovecot refuses root for login/internal processes and UID 0 for mail users, so mail
        # belongs to "nobody", and the imap process chroots into mail_root (home ".../mail/./rep")
        # before dropping privileges: that way it needs no search permission on pytest's 0700 tmp dirs.
        # The auth process stays root for the same reason (it reads users_file).
        mail_user = _user("nobody")
        os.chown(home, mail_user.pw_uid, mail_user.pw_gid)
        home_field = f"{mail_root}/./rep"
        internal = _user("dovecot")
        privileges = f"""
default_internal_user = {internal.pw_name}
default_internal_group = {grp.getgrgid(internal.pw_gid).gr_name}
default_login_user = {_user("dovenull").pw_name}
valid_chroot_dirs = {mail_root}
service auth {{
  user = root
}}
"""
    else:
        # As a normal user, every process runs as that user, and no service may chroot (the defaults do).
        mail_user = pwd.getpwuid(os.geteuid())
        home_field = str(home)
        privileges = f"""
default_internal_user = {mail_user.pw_name}
default_internal_group = {grp.getgrgid(mail_user.pw_gid).gr_name}
default_login_user = {mail_user.pw_name}
""" + "".join(f"service {name} {{\n  chroot =\n}}\n"
              for name in ("imap-login", "imap-urlauth-login", "anvil", "ipc", "old-stats", "aggregator"))
    users_file.write_text(
        f"{USERNAME}:{{PLAIN}}{PASSWORD}:{mail_user.pw_uid}:{mail_user.pw_gid}::{home_field}::\n")
    users_file.chmod(0o600)

    conf = tmp_dir / "dovecot.conf"
    conf.write_text(f"""# Written by tests/support/imap_server.py
protocols = imap
listen = 127.0.0.1
base_dir = {base_dir}
state_dir = {tmp_dir / "state"}
log_path = {log_path}
info_log_path = {log_path}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = {min(mail_user.pw_uid, 500)}
first_valid_gid = 0
mail_location = maildir:~/Maildir
mail_fsync = never
{privileges}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {users_file}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {users_file}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
""")
    stderr_path = tmp_dir / "dovecot.stderr"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen([str(DOVECOT), "-F", "-c", str(conf)], stdin=subprocess.DEVNULL,
                                   stdout=stderr, stderr=stderr, preexec_fn=_die_with_parent)
    server = DovecotServer("127.0.0.1", port, USERNAME, PASSWORD, log_path, process, cleanup)

    deadline = time.monotonic() + START_TIMEOUT
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            last_error = RuntimeError(f"dovecot exited with status {process.returncode}")
            break
        try:
            with server.connect():  # greeting + LOGIN: proves the listener, auth and userdb all work
                return server
        except (OSError, imaplib.IMAP4.error) as exc:
            last_error = exc
            time.sleep(0.05)
    server.stop()
    raise RuntimeError(
        f"Dovecot did not accept an IMAP login on 127.0.0.1:{port} within {START_TIMEOUT:.0f}s "
        f"({last_error!r}).\nconfig: {conf}\nstderr: {stderr_path.read_text(errors='replace').strip()}\n"
        f"log tail ({log_path}):\n{server.log_tail()}")


@pytest.fixture(scope="session")
def dovecot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DovecotServer]:
    """One Dovecot for the whole run; skips when it is not installed."""
    if not os.access(DOVECOT, os.X_OK):
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd); .ci/run installs it")
    server = start_dovecot(tmp_path_factory.mktemp("dovecot"))
    yield server
    server.stop()


@pytest.fixture
def imap_server(dovecot: DovecotServer) -> DovecotServer:
    """The session's Dovecot, emptied: only an empty INBOX (UIDs keep growing across tests)."""
    dovecot.clear()
    return dovecot


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
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                conn.close()


@pytest.fixture
def misbehaving_imap_server() -> Iterator[MisbehavingImapServer]:
    """A broken IMAP server in "garbage" mode; call set_mode() to pick another behaviour."""
    server = MisbehavingImapServer()
    yield server
    server.stop()
