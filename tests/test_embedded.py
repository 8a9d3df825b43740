from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.network import HarnessCA
from harness.reference.embedded import RunningReference


def _describe(tmp_path: Path, **fields: object) -> Path:
    path = tmp_path / "reference.json"
    path.write_text(json.dumps({"control_token": "t" * 43, **fields}))
    return path


def test_a_description_written_by_serve_is_loaded(tmp_path: Path) -> None:
    ca = HarnessCA.create(tmp_path / "ca")
    loaded = RunningReference.load(_describe(tmp_path, proxy_url="http://127.0.0.1:4321", ca_path=str(ca.cert_path)))
    assert (loaded.proxy_url, loaded.ca_path) == ("http://127.0.0.1:4321", ca.cert_path)
    assert f"--ignore-certificate-errors-spki-list={ca.spki_pin}" in loaded.browser_args


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"proxy_url": "http://10.1.2.3:8080"}, "is not on loopback"),
        ({"proxy_url": "http://127.0.0.1:1", "ca_path": "/nowhere/ca.pem"}, "does not exist"),
        ({"ca_path": "x"}, "not a reference description"),
    ],
)
def test_a_wrong_description_is_refused_with_the_reason(tmp_path: Path, fields: dict, problem: str) -> None:
    ca = HarnessCA.create(tmp_path / "ca")
    with pytest.raises(ValueError, match=problem):
        RunningReference.load(_describe(tmp_path, **{"ca_path": str(ca.cert_path), **fields}))
