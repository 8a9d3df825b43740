"""The fake Salesforce's clock: wall time plus an offset the harness can advance.

Serves the documented time rules (authorization codes expire after 15 minutes, access tokens after
the session timeout) without sleeping in tests.
"""

from __future__ import annotations

import time


class Clock:
    """Seconds since the epoch; ``advance`` moves it forward for every rule that reads it."""

    def __init__(self, start: float | None = None) -> None:
        self._offset = 0.0 if start is None else start - time.time()

    def now(self) -> float:
        return time.time() + self._offset

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("advance_seconds must not be negative")
        self._offset += seconds
        return self.now()
