"""The encryption key: given in the settings, or made once and kept in the data directory.

Rule served: docs/design.md "The reference appliance" - nothing configured is lost on a restart. The
key file (``secret.key``, readable by the owner only) is created once, never replaced; there is no
built-in fallback key. A key that cannot open the data already stored is a start-up error that names
the data directory, found by ``refuse_early`` before the store is opened, so no file is changed.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.fernet import Fernet

from harness.appliance.core.crypto import KEY_CHECK, KeyMismatch, SecretBox
from harness.appliance.core.store import Store, peek

KEY_FILE = "secret.key"
_CHECK = "key_check"


def _from_setting(secret_key: str) -> bytes:
    # Any string an operator gives becomes a Fernet key the same way every time.
    digest = hashlib.sha256(b"reference-appliance/at-rest/" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _create_file(path: Path) -> bytes:
    key = Fernet.generate_key()
    # O_EXCL: if another process made the file first, we fail instead of replacing its key.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())
    return key


def refuse_early(data_dir: Path, database_url: str, secret_key: str | None) -> None:
    """Raises KeyMismatch (or SchemaMismatch) for data this start cannot use, before anything is opened.

    Rule served: a refused start changes no file. The check reads the stored data through ``peek``
    (a private copy for SQLite) and never creates the key file, so refusing leaves the data
    directory byte for byte as it was, ``-wal`` and ``-shm`` included."""
    with peek(database_url) as store:
        sealed_check = store.get_config(_CHECK) if store is not None else None
    key = _existing_key(data_dir, sealed_check, secret_key)
    if key is not None:
        _checked_box(key, data_dir, sealed_check, secret_key)


def open_box(data_dir: Path, store: Store, secret_key: str | None) -> SecretBox:
    """The box for this data directory; raises KeyMismatch (with the reason) instead of guessing."""
    sealed_check = store.get_config(_CHECK)
    key = _existing_key(data_dir, sealed_check, secret_key) or _create_file(data_dir / KEY_FILE)
    box = _checked_box(key, data_dir, sealed_check, secret_key)
    if sealed_check is None:
        store.set_config(_CHECK, box.seal(KEY_CHECK))
    return box


def _existing_key(data_dir: Path, sealed_check: str | None, secret_key: str | None) -> bytes | None:
    """The key given or kept; None when none exists yet and one may be made (nothing sealed so far)."""
    path = data_dir / KEY_FILE
    if secret_key:
        return _from_setting(secret_key)
    if path.exists():
        return path.read_bytes().strip()
    if sealed_check is not None:
        raise KeyMismatch(
            f"{data_dir} holds encrypted configuration but its key file {path} is missing; "
            "restore the file or give the key in the settings"
        )
    return None


def _checked_box(key: bytes, data_dir: Path, sealed_check: str | None, secret_key: str | None) -> SecretBox:
    path = data_dir / KEY_FILE
    try:
        box = SecretBox(key)
    except ValueError as exc:
        raise KeyMismatch(f"{path} does not hold a valid key ({exc})") from exc
    if sealed_check is not None and _opens(box, sealed_check) != KEY_CHECK:
        where = "the key given in the settings" if secret_key else f"the key in {path}"
        raise KeyMismatch(f"{where} does not match the data in {data_dir}; nothing was changed")
    return box


def _opens(box: SecretBox, sealed: str) -> str | None:
    try:
        return box.open(sealed)
    except KeyMismatch:
        return None


def keep_check(store: Store, box: SecretBox) -> None:
    """After a wipe (harness reset) the data must still prove which key it belongs to."""
    store.set_config(_CHECK, box.seal(KEY_CHECK))
