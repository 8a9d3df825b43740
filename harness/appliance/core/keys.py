"""The encryption key: given in the settings, or made once and kept in the data directory.

Rule served: docs/design.md "The reference appliance" - nothing configured is lost on a restart. The
key file (``secret.key``, readable by the owner only) is created once, never replaced; there is no
built-in fallback key. A key that cannot open the data already stored is a start-up error that names
the data directory, and nothing is written.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.fernet import Fernet

from harness.appliance.core.crypto import KEY_CHECK, KeyMismatch, SecretBox
from harness.appliance.core.store import Store

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


def open_box(data_dir: Path, store: Store, secret_key: str | None) -> SecretBox:
    """The box for this data directory; raises KeyMismatch (with the reason) instead of guessing."""
    sealed_check = store.get_config(_CHECK)
    path = data_dir / KEY_FILE
    if secret_key:
        key = _from_setting(secret_key)
    elif path.exists():
        key = path.read_bytes().strip()
    elif sealed_check is not None:
        raise KeyMismatch(
            f"{data_dir} holds encrypted configuration but its key file {path} is missing; "
            "restore the file or give the key in the settings"
        )
    else:
        key = _create_file(path)
    try:
        box = SecretBox(key)
    except ValueError as exc:
        raise KeyMismatch(f"{path} does not hold a valid key ({exc})") from exc
    if sealed_check is None:
        store.set_config(_CHECK, box.seal(KEY_CHECK))
    elif _opens(box, sealed_check) != KEY_CHECK:
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
