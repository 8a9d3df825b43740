"""Secrets at rest cannot be read without the appliance's key - not only "the plain text is absent".

Rule served: docs/design.md "The reference appliance" - secrets and tokens are encrypted at rest
(harness/appliance/core/crypto.py, keys.py). A keyless encoding (base64, hex) or a fixed built-in key
would hide the plain text from a byte search; these tests check what encryption means instead: each
sealed value opens with the key kept in ``secret.key`` and gives the very secret, does not open with
any other key, differs each time the same secret is sealed, and no keyless decoding of anything in the
database files (every base64 or hex run, at every alignment) reveals a secret.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from starlette.testclient import TestClient

from tests.appliance.conftest import finish, post
from tests.appliance.world import Salesforce

_RUN = re.compile(rb"[A-Za-z0-9+/_=-]{16,}")


def _keyless_decodings(blob: bytes) -> Iterator[bytes]:
    """``blob`` itself and every base64 (both alphabets, every alignment) or hex decoding of its runs."""
    yield blob
    for run in _RUN.findall(blob):
        for start in range(4):
            part = run[start:].rstrip(b"=")
            part = part[: len(part) - len(part) % 4]
            yield from _decoded(lambda p, alt: base64.b64decode(p + b"==", altchars=alt), part, None, b"-_")
        yield from _decoded(lambda p, _: bytes.fromhex(p.decode()), run[: len(run) // 2 * 2], None)


def _decoded(decode: Callable[[bytes, bytes | None], bytes], part: bytes, *alphabets: bytes | None) -> Iterator[bytes]:
    for alphabet in alphabets:
        try:
            value = decode(part, alphabet)
        except (binascii.Error, ValueError):  # not that encoding: nothing to look into
            continue
        yield value


def _sealed(client: TestClient) -> dict[str, str]:
    store = client.app.state.appliance.store  # type: ignore[attr-defined]
    app, (org,) = store.rows("apps")[-1], store.rows("orgs")
    return {"consumer secret": app["consumer_secret_enc"], "refresh token": org["refresh_token_enc"]}


def test_each_sealed_secret_opens_with_the_kept_key_only(
    client: TestClient, salesforce: Salesforce, tmp_path: Path
) -> None:
    finish(client, salesforce)
    sealed = _sealed(client)
    kept_key = Fernet((tmp_path / "secret.key").read_bytes().strip())
    opened = {name: kept_key.decrypt(value.encode()).decode() for name, value in sealed.items()}
    assert opened["consumer secret"] == salesforce.app["consumer_secret"]
    assert opened["refresh token"].startswith("5Aep"), "the refresh token Salesforce issued"
    for name, value in sealed.items():
        for other in (Fernet.generate_key(), base64.urlsafe_b64encode(b"\0" * 32)):
            with pytest.raises(InvalidToken):
                Fernet(other).decrypt(value.encode())
        assert not any(opened[name].encode() in decoded for decoded in _keyless_decodings(value.encode())), name


def test_the_same_secret_sealed_twice_gives_two_ciphertexts(
    client: TestClient, salesforce: Salesforce
) -> None:
    finish(client, salesforce)
    response = client.post(f"/api/v1/orgs/{salesforce.org_id}/connection", json=salesforce.credentials)
    assert response.status_code == 200, response.text
    store = client.app.state.appliance.store  # type: ignore[attr-defined]
    first, second = (row["consumer_secret_enc"] for row in store.rows("apps"))
    assert first != second, "sealing is randomised, so equal secrets cannot be told apart at rest"


def test_no_keyless_decoding_of_the_database_files_reveals_a_secret(
    client: TestClient, salesforce: Salesforce, tmp_path: Path
) -> None:
    finish(client, salesforce)
    assert post(client, "/policies/1/run")["status"] in ("Success", "Warning")
    key = Fernet((tmp_path / "secret.key").read_bytes().strip())
    secrets = [key.decrypt(value.encode()) for value in _sealed(client).values()]
    files = sorted(tmp_path.glob("appliance.sqlite3*"))
    assert files, "the database files exist"
    for path in files:
        for decoded in _keyless_decodings(path.read_bytes()):
            found = [secret[:6] for secret in secrets if secret in decoded]
            assert not found, f"{path.name} reveals {found} without the key"
