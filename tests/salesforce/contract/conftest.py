"""The contract checks' target: the fake behind the virtual network always, a real org when named.

The fake is the one behind the harness's CONNECT proxy (``tests/salesforce/sealed.py``: the real
hosts' names, the harness CA); its refresh token comes from walking the web server flow as a browser
would. The real org is used only when the ``HARNESS_CONTRACT_*`` variables name one (README,
"Checking the fake against a real org"); otherwise its run is skipped, so nothing leaves loopback
unless someone asks for it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ..sealed import LOGIN_URL, SealedSalesforce
from .target import ENVIRONMENT, Target, real_org_target


@pytest.fixture(scope="session")
def fake_target(sealed: SealedSalesforce) -> Target:
    _, user, app = sealed.org("contract", records=30)
    refresh_token = sealed.tokens(user, app)["refresh_token"]
    return Target("fake", LOGIN_URL, app["consumer_key"], app["consumer_secret"], refresh_token, sealed.http)


@pytest.fixture(scope="session", params=["fake", "org"])
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    if request.param == "fake":
        yield request.getfixturevalue("fake_target")
        return
    try:
        org = real_org_target()
    except ValueError as exc:
        pytest.fail(str(exc))
    if org is None:
        pytest.skip(f"no real org named: set {', '.join(ENVIRONMENT.values())} to check one")
    with org.client:
        yield org
