"""A refused start changes no file, even over data a killed appliance left mid-log; data files are 0600.

Rules served: docs/design.md "The reference appliance" - a key or schema that does not fit the data
stops the start and "nothing was changed" is literally true (harness/appliance/core/keys.py
``refuse_early``, harness/appliance/core/store.py ``peek``); everything the appliance keeps on disk
(database, its write-ahead log and index, key, backups) is readable by the owner only.
"""

from __future__ import annotations

import hashlib
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from harness.appliance.core import Appliance
from harness.appliance.core.crypto import KeyMismatch
from harness.appliance.core.store import SchemaMismatch
from harness.appliance.settings import ApplianceSettings
from tests.appliance.conftest import appliance_client, finish, post
from tests.appliance.world import Salesforce

_REPO = Path(__file__).resolve().parents[2]

# Starts an appliance, stores a value, and dies without closing anything: the -wal holds the last write.
_KILLED = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from harness.appliance.core import Appliance
    from harness.appliance.settings import ApplianceSettings
    appliance = Appliance(ApplianceSettings(data_dir=Path(sys.argv[1])))
    appliance.store.set_config("written_before_the_kill", "kept")
    if sys.argv[2:]:
        appliance.store.set_config("schema_version", int(sys.argv[2]))
    os._exit(0)
""")


def _killed_mid_log(data_dir: Path, *schema: str) -> None:
    subprocess.run([sys.executable, "-c", _KILLED, str(data_dir), *schema], cwd=_REPO, check=True)
    assert (data_dir / "appliance.sqlite3-wal").stat().st_size > 0, "the kill left a write-ahead log"


def _files(directory: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``directory``: its content hash and its mode."""
    return {str(p.relative_to(directory)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mode)
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_a_wrong_key_over_a_killed_appliance_s_data_changes_no_file(tmp_path: Path) -> None:
    _killed_mid_log(tmp_path)
    before = _files(tmp_path)
    with pytest.raises(KeyMismatch, match="nothing was changed"):
        Appliance(ApplianceSettings(data_dir=tmp_path, secret_key="some other key"))
    assert _files(tmp_path) == before
    appliance = Appliance(ApplianceSettings(data_dir=tmp_path))
    try:
        assert appliance.store.get_config("written_before_the_kill") == "kept"
    finally:
        appliance.close()


def test_a_missing_key_file_over_a_killed_appliance_s_data_changes_no_file(tmp_path: Path) -> None:
    _killed_mid_log(tmp_path)
    (tmp_path / "secret.key").rename(tmp_path.parent / f"{tmp_path.name}.key")
    before = _files(tmp_path)
    with pytest.raises(KeyMismatch, match="key file .* is missing"):
        Appliance(ApplianceSettings(data_dir=tmp_path))
    assert _files(tmp_path) == before


def test_another_schema_over_a_killed_appliance_s_data_changes_no_file(tmp_path: Path) -> None:
    _killed_mid_log(tmp_path, "7")
    before = _files(tmp_path)
    with pytest.raises(SchemaMismatch, match=r"appliance\.sqlite3 has schema 7") as refused:
        Appliance(ApplianceSettings(data_dir=tmp_path))
    assert str(tmp_path) in str(refused.value), "the message names the database, not a private copy"
    assert _files(tmp_path) == before


def test_every_file_the_appliance_keeps_is_readable_by_the_owner_only(
    tmp_path: Path, make_settings: Any, salesforce: Salesforce
) -> None:
    with appliance_client(make_settings(tmp_path)) as client:
        finish(client, salesforce)
        assert post(client, "/policies/1/run")["status"] in ("Success", "Warning")
        kept = _files(tmp_path)
        assert {"appliance.sqlite3", "appliance.sqlite3-wal", "secret.key"} <= set(kept)
        assert any(name.startswith("backups/") for name in kept), kept
        loose = {name: stat.filemode(mode) for name, (_, mode) in kept.items() if mode & 0o077}
        assert not loose, f"readable by others: {loose}"


def test_an_older_data_directory_s_database_is_made_owner_only_on_start(tmp_path: Path) -> None:
    Appliance(ApplianceSettings(data_dir=tmp_path)).close()
    (tmp_path / "appliance.sqlite3").chmod(0o644)
    appliance = Appliance(ApplianceSettings(data_dir=tmp_path))
    try:
        assert (tmp_path / "appliance.sqlite3").stat().st_mode & 0o777 == 0o600
    finally:
        appliance.close()
