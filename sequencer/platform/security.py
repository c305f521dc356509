"""Password hashing and secrets at rest (SMTP/IMAP passwords): no knowledge of users or the database."""
from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from werkzeug.security import generate_password_hash


def hash_password(password: str) -> str:
    return generate_password_hash(password)


class SecretBox:
    """Encrypts stored credentials (SMTP passwords) with a key derived from SECRET_KEY."""

    def __init__(self, secret_key: str):
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"sequencer-secrets", info=b"v1").derive(
            secret_key.encode()
        )
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken:
            raise ValueError("stored secret cannot be decrypted: was SECRET_KEY changed?") from None
