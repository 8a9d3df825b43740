from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

_PROBE = ("import sys, json, harness.pytest.bytecode; "
          "print(json.dumps([sys.dont_write_bytecode, sys.pycache_prefix, sys.prefix]))")


def _probe(**env: str) -> tuple[bool, str | None, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPYCACHEPREFIX", "HARNESS_BYTECODE_CACHE")}
    out = subprocess.run([sys.executable, "-c", _PROBE], env={**clean, **env}, check=True,
                         capture_output=True, text=True).stdout
    dont_write, prefix, venv = json.loads(out)
    return dont_write, prefix, venv


def test_bytecode_is_kept_in_the_virtual_environment_when_python_is_told_not_to_write_it() -> None:
    dont_write, prefix, venv = _probe(PYTHONDONTWRITEBYTECODE="1")
    assert dont_write is False
    assert prefix == os.path.join(venv, "pycache")


@pytest.mark.parametrize("env", [{"PYTHONDONTWRITEBYTECODE": "1", "HARNESS_BYTECODE_CACHE": "0"},
                                 {"PYTHONDONTWRITEBYTECODE": ""}])
def test_python_settings_are_left_alone_when_switched_off_or_already_writing(env: dict[str, str]) -> None:
    dont_write, prefix, _ = _probe(**env)
    assert (dont_write, prefix) == (env["PYTHONDONTWRITEBYTECODE"] == "1", None)
