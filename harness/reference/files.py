"""Owner-only files written atomically: a reader, or a restart after a SIGKILL, sees the old content or
the new one, never an empty or half-written file.

Rule served: nothing is lost at any moment (``harness serve`` is killed and started again over the same
work directory) and files holding secrets are readable by their owner only (0600).
"""

from __future__ import annotations

import os
from pathlib import Path


def write_owner_only(path: Path, text: str) -> None:
    """Writes ``text`` to a 0600 temporary file beside ``path``, flushes it to disk, then renames it."""
    temporary = path.with_name(f".{path.name}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)  # atomic on POSIX: the name points at the old file or the complete new one
