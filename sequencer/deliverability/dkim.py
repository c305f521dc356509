"""DKIM for mailboxes that send through the team's own relay: the key (encrypted at rest like SMTP
passwords), the TXT record to publish, and the signature on the outgoing bytes."""
from __future__ import annotations

import base64
import functools
import re

import dkim as dkimpy
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sequencer.errors import Invalid
from sequencer.models import Mailbox
from sequencer.platform.security import SecretBox
from sequencer.texts import tr

KEY_BITS = 2048
SIGNED_HEADERS = (b"from", b"to", b"subject", b"date", b"message-id", b"in-reply-to", b"references",
                  b"list-unsubscribe", b"list-unsubscribe-post")
_SELECTOR = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def clean_selector(value: object) -> str:
    selector = str(value or "").strip().lower()
    if not _SELECTOR.match(selector):
        raise Invalid.field("dkim_selector", tr("must be one DNS label: letters, digits and hyphens"))
    return selector


def generate_key(mailbox: Mailbox, secrets: SecretBox, selector: object = "sequencer") -> None:
    """A new RSA 2048 key for the mailbox; signing starts once enabled (after the record is published)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    mailbox.dkim_selector = clean_selector(selector)
    mailbox.dkim_private_key_encrypted = secrets.encrypt(pem)


@functools.lru_cache(maxsize=64)
def _public_value(pem: str) -> str:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    der = key.public_key().public_bytes(serialization.Encoding.DER,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode()


def public_key_value(mailbox: Mailbox, secrets: SecretBox) -> str | None:
    """The p= value DNS must carry, when Sequencer signs for this mailbox; else None."""
    if not (mailbox.dkim_signing and mailbox.dkim_private_key_encrypted):
        return None
    return _public_value(secrets.decrypt(mailbox.dkim_private_key_encrypted))


def dns_record(mailbox: Mailbox, secrets: SecretBox) -> tuple[str, str] | None:
    """(name, TXT value) to publish for the mailbox's key, or None when it has none."""
    if not mailbox.dkim_private_key_encrypted or not mailbox.dkim_selector:
        return None
    domain = mailbox.email.rsplit("@", 1)[-1].lower()
    value = _public_value(secrets.decrypt(mailbox.dkim_private_key_encrypted))
    return f"{mailbox.dkim_selector}._domainkey.{domain}", f"v=DKIM1; k=rsa; p={value}"


def sign(data: bytes, mailbox: Mailbox, secret_key: str) -> bytes:
    """The message with a DKIM-Signature header prepended when the mailbox signs; otherwise unchanged."""
    if not (mailbox.dkim_signing and mailbox.dkim_private_key_encrypted and mailbox.dkim_selector):
        return data
    pem = SecretBox(secret_key).decrypt(mailbox.dkim_private_key_encrypted)
    domain = mailbox.email.rsplit("@", 1)[-1].lower()
    signature = dkimpy.sign(data, mailbox.dkim_selector.encode(), domain.encode(), pem.encode(),
                            canonicalize=(b"relaxed", b"relaxed"), include_headers=list(SIGNED_HEADERS))
    return signature + data
