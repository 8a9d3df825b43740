"""Encryption at rest for consumer secrets and OAuth tokens, and administrator password hashing.

Rule served: docs/design.md "The reference appliance" - secrets and tokens are encrypted at rest and
never shown back. Fernet with the appliance's key (``keys.py`` says where the key comes from);
passwords are salted scrypt hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken

# A known plaintext sealed once per database: opening it at start-up proves the key fits the data.
KEY_CHECK = "reference-appliance/key-check/v1"


class KeyMismatch(RuntimeError):
    """The key cannot open what the data directory holds; nothing was changed."""


class SecretBox:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def seal(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise KeyMismatch("a sealed value cannot be opened with the appliance's key") from exc


def hash_password(password: str, cost: int = 14) -> str:
    """Salted scrypt with N = 2**cost; the cost is stored with the hash so any cost verifies."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8", "surrogatepass"), salt=salt, n=2**cost, r=8, p=1)
    return f"scrypt${cost}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    parts = stored.split("$")
    if len(parts) == 3:  # written before the cost was stored: always 2**14
        parts.insert(1, "14")
    if len(parts) != 4 or not parts[1].isdigit() or not 1 <= int(parts[1]) <= 20:
        return False
    salt = bytes.fromhex(parts[2])
    digest = hashlib.scrypt(password.encode("utf-8", "surrogatepass"), salt=salt, n=2 ** int(parts[1]), r=8, p=1)
    return hmac.compare_digest(digest.hex(), parts[3])
