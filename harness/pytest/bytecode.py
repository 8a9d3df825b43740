"""Keeps compiled bytecode between runs, outside the checkout, even where PYTHONDONTWRITEBYTECODE is set.

Rule served: start-up in well under two seconds (docs/design.md, speed). Where bytecode is not
written, every pytest start recompiles the project's modules and redoes assertion rewriting for
every package that ships a pytest plugin (faker, hypothesis, schemathesis, anyio: ~360 modules,
about 2 s). Loaded first through ``-p harness.pytest.bytecode`` in the pytest options, before those
plugins, this sends bytecode to a cache inside the virtual environment (``sys.pycache_prefix``),
so nothing is written into the checkout. ``HARNESS_BYTECODE_CACHE=0`` leaves Python's setting alone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "HARNESS_BYTECODE_CACHE"


def keep_bytecode() -> str | None:
    """Turns bytecode writing back on, into a cache under ``sys.prefix``; returns that folder."""
    if os.environ.get(ENV_VAR) == "0" or not sys.dont_write_bytecode:
        return None
    if sys.pycache_prefix is None:
        sys.pycache_prefix = str(Path(sys.prefix) / "pycache")
    sys.dont_write_bytecode = False
    return sys.pycache_prefix


keep_bytecode()
