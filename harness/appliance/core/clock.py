"""The appliance's clock: the settings' time source plus an offset the harness can advance.

Rule served: harness/README.md "Appliance harness control" - ``POST /__harness/clock`` moves time
forward so schedules and expiries can be tested without waiting.
"""

from __future__ import annotations

from collections.abc import Callable


class ApplianceClock:
    def __init__(self, source: Callable[[], float]) -> None:
        self._source = source
        self._offset = 0.0

    def now(self) -> float:
        return self._source() + self._offset

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._offset += seconds
        return self.now()
