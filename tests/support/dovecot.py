"""A real IMAP server (Dovecot) on loopback for the inbound-mail tests, with helpers to fill and inspect it."""
from __future__ import annotations

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
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.imap_protocol import encode_folder, expect_ok, list_entries, quote

DOVECOT = Path("/usr/sbin/dovecot")
USERNAME = "rep@sequencer.test"
PASSWORD = "imap-test-password"
START_TIMEOUT = 10.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]



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
            expect_ok(conn.login(self.username, self.password), "LOGIN")
            yield conn
        finally:
            with suppress(imaplib.IMAP4.error, OSError):
                conn.logout()

    def append(self, folder: str, raw: bytes, flags: tuple[str, ...] | list[str] = ()) -> None:
        """Deliver a raw RFC 5322 message into a folder, e.g. flags=("\\Seen",)."""
        with self.connect() as conn:
            expect_ok(conn.append(encode_folder(folder), "(" + " ".join(flags) + ")" if flags else None, None, raw),
                f"APPEND {folder}")

    def create_folder(self, name: str) -> None:
        """Create a folder (use "." as the hierarchy separator, e.g. "Sales.Leads")."""
        with self.connect() as conn:
            expect_ok(conn.create(encode_folder(name)), f"CREATE {name}")

    def folders(self) -> list[str]:
        """Raw (modified UTF-7) names of every folder, INBOX included."""
        with self.connect() as conn:
            return [name for _, name in list_entries(expect_ok(conn.list(), "LIST"))]

    def _status(self, folder: str, item: str) -> int:
        with self.connect() as conn:
            data = expect_ok(conn.status(encode_folder(folder), f"({item})"), f"STATUS {folder}")
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
            count = int(expect_ok(conn.select(encode_folder(folder), readonly=True), f"EXAMINE {folder}")[0])
            if not count:
                return []
            rows = []
            for line in expect_ok(conn.fetch("1:*", "(UID FLAGS)"), "FETCH"):
                line = line[0] if isinstance(line, tuple) else line
                uid = int(re.search(rb"UID (\d+)", line).group(1))
                rows.append((uid, b"\\Seen" in imaplib.ParseFlags(line)))
            return [seen for _, seen in sorted(rows)]

    def clear(self) -> None:
        """Expunge every message in every folder and delete every folder but INBOX."""
        with self.connect() as conn:
            entries = list_entries(expect_ok(conn.list(), "LIST"))
            for flags, name in entries:
                if b"\\noselect" in flags.lower() or b"\\nonexistent" in flags.lower():
                    continue
                if int(expect_ok(conn.select(quote(name)), f"SELECT {name}")[0]):
                    expect_ok(conn.store("1:*", "+FLAGS.SILENT", "(\\Deleted)"), "STORE")
                    expect_ok(conn.expunge(), "EXPUNGE")
                conn.close()
            for _, name in sorted(entries, key=lambda entry: entry[1].count("."), reverse=True):
                if name.upper() != "INBOX":
                    conn.delete(quote(name))  # a \Noselect parent may already be gone
            for _, name in list_entries(expect_ok(conn.lsub(), "LSUB")):
                conn.unsubscribe(quote(name))
            left = [name for _, name in list_entries(expect_ok(conn.list(), "LIST")) if name.upper() != "INBOX"]
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
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _user(name: str, fallback: str = "nobody") -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return pwd.getpwnam(fallback)



def _privileges(mail_root: Path, home: Path) -> tuple[pwd.struct_passwd, str, str]:
    """The mail user, its userdb home and the privilege settings: running as root differs from a normal user."""
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
    return mail_user, home_field, privileges


def _oauth2_passdb(tmp_dir: Path, introspection_url: str | None) -> str:
    """With a provider: XOAUTH2/OAUTHBEARER logins whose token the provider's introspection endpoint vouches for."""
    if not introspection_url:
        return ""
    ext = tmp_dir / "dovecot-oauth2.conf.ext"
    ext.write_text(f"""introspection_mode = post
introspection_url = {introspection_url}
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
""")
    return f"""auth_mechanisms = plain login xoauth2 oauthbearer
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {ext}
}}
"""


def _config(tmp_dir: Path, base_dir: Path, port: int, log_path: Path, users_file: Path,
            mail_user: pwd.struct_passwd, privileges: str, introspection_url: str | None = None) -> str:
    """dovecot.conf: IMAP only on 127.0.0.1:port, plaintext LOGIN, one passwd-file user with a maildir
    (and XOAUTH2 checked against an OAuth provider when `introspection_url` is given)."""
    return f"""# Written by tests/support/dovecot.py
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
{_oauth2_passdb(tmp_dir, introspection_url)}
passdb {{
  driver = passwd-file
  mechanisms = plain login
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
"""


def _wait_for_login(server: DovecotServer, conf: Path, stderr_path: Path) -> DovecotServer:
    """The server once a LOGIN succeeds; if none does in time, it is stopped and the error shows why."""
    deadline = time.monotonic() + START_TIMEOUT
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            last_error = RuntimeError(f"dovecot exited with status {server.process.returncode}")
            break
        try:
            with server.connect():  # greeting + LOGIN: proves the listener, auth and userdb all work
                return server
        except (OSError, imaplib.IMAP4.error) as exc:
            last_error = exc
            time.sleep(0.05)
    server.stop()
    raise RuntimeError(
        f"Dovecot did not accept an IMAP login on 127.0.0.1:{server.port} within {START_TIMEOUT:.0f}s "
        f"({last_error!r}).\nconfig: {conf}\nstderr: {stderr_path.read_text(errors='replace').strip()}\n"
        f"log tail ({server.log_path}):\n{server.log_tail()}")


def start_dovecot(tmp_dir: Path, introspection_url: str | None = None) -> DovecotServer:
    """Start Dovecot (IMAP only, plaintext LOGIN, one maildir user) on a free 127.0.0.1 port; with
    `introspection_url`, XOAUTH2 too, each token checked with that OAuth provider."""
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

    mail_user, home_field, privileges = _privileges(mail_root, home)
    users_file.write_text(
        f"{USERNAME}:{{PLAIN}}{PASSWORD}:{mail_user.pw_uid}:{mail_user.pw_gid}::{home_field}::\n")
    users_file.chmod(0o600)

    conf = tmp_dir / "dovecot.conf"
    conf.write_text(_config(tmp_dir, base_dir, port, log_path, users_file, mail_user, privileges, introspection_url))
    stderr_path = tmp_dir / "dovecot.stderr"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen([str(DOVECOT), "-F", "-c", str(conf)], stdin=subprocess.DEVNULL,
                                   stdout=stderr, stderr=stderr, preexec_fn=_die_with_parent)
    server = DovecotServer("127.0.0.1", port, USERNAME, PASSWORD, log_path, process, cleanup)
    return _wait_for_login(server, conf, stderr_path)
