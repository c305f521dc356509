"""A mailbox's IMAP settings: validated input, the encrypted password, the API view and a live check."""
from __future__ import annotations

from sequencer.errors import Invalid
from sequencer.inbound.imap import NETWORK_ERRORS, connect, flagged
from sequencer.mailauth.tokens import OAuthUnusable
from sequencer.models import Mailbox
from sequencer.models.mail import SmtpSecurity
from sequencer.platform.security import SecretBox
from sequencer.platform.serialize import iso


def clean_imap_input(data: dict) -> dict:
    """IMAP column values from API/form input; raises `Invalid` naming the field."""
    out: dict = {}
    for field in ("imap_host", "imap_username"):
        if field in data:
            out[field] = (data.get(field) or "").strip() or None
    if "imap_port" in data:
        value = data.get("imap_port")
        try:
            out["imap_port"] = None if value in (None, "") else int(value)
        except (TypeError, ValueError):
            raise Invalid.field("imap_port", "must be a whole number") from None
        if out["imap_port"] is not None and not 1 <= out["imap_port"] <= 65535:
            raise Invalid.field("imap_port", "must be between 1 and 65535")
    if "imap_security" in data:
        try:
            out["imap_security"] = SmtpSecurity(data.get("imap_security") or "tls")
        except ValueError:
            raise Invalid.field("imap_security", "must be none, starttls or tls") from None
    if "imap_folders" in data:
        folders = data.get("imap_folders") or []
        if isinstance(folders, str):
            folders = folders.replace("\n", ",").split(",")
        if not isinstance(folders, list) or not all(isinstance(f, str) for f in folders):
            raise Invalid.field("imap_folders", "must be a list of folder names")
        out["imap_folders"] = [f.strip() for f in folders if f.strip() and f.strip().upper() != "INBOX"][:20]
    return out


def apply_imap_input(mailbox: Mailbox, data: dict, secrets: SecretBox) -> None:
    for key, value in clean_imap_input(data).items():
        setattr(mailbox, key, value)
    if data.get("imap_password"):  # empty keeps the stored one
        mailbox.imap_password_encrypted = secrets.encrypt(str(data["imap_password"]))
    if mailbox.imap_host and not mailbox.imap_port:
        mailbox.imap_port = 993 if mailbox.imap_security == SmtpSecurity.TLS else 143


def serialize_imap(mailbox: Mailbox) -> dict:
    """The API view: never the password; the poller's health so an admin can see a broken mailbox."""
    return {
        "imap_host": mailbox.imap_host, "imap_port": mailbox.imap_port, "imap_username": mailbox.imap_username,
        "imap_security": mailbox.imap_security.value, "imap_folders": list(mailbox.imap_folders or []),
        "imap_password_set": bool(mailbox.imap_password_encrypted), "imap_failures": mailbox.imap_failures,
        "imap_error": mailbox.imap_error, "imap_flagged": flagged(mailbox),
        "imap_checked_at": iso(mailbox.imap_checked_at),
    }


def check_imap(mailbox: Mailbox, secrets: SecretBox, timeout: float = 10) -> tuple[bool, str]:
    """Log in and count INBOX, so an admin sees the server's own answer before relying on it."""
    if not mailbox.imap_host:
        return False, "No IMAP server is set for this mailbox."
    try:
        client = connect(mailbox, secrets, timeout=timeout)
        try:
            info = client.select_folder("INBOX", readonly=True)
            return True, f"Connected: INBOX holds {int(info.get(b'EXISTS', 0))} message(s)."
        finally:
            client.logout()
    except (*NETWORK_ERRORS, OAuthUnusable) as exc:
        return False, f"{type(exc).__name__}: {exc}"
