"""The Salesforce CLI (``sf``) works against the sealed fake after ``sf org login access-token``.

The CLI stores the instance URL with a trailing slash, so every later call asks for
``//services/data/...`` or ``//services/Soap/m/...`` (docs/salesforce-facts.md 3.9). It reaches the
fake by the real names through the harness's proxy, trusting the harness CA; the session-scoped
``sealed`` fixture fails the run if it ever tries another destination.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .javascript_clients import SfCli
from .sealed import SealedSalesforce


@pytest.fixture
def cli(sealed: SealedSalesforce, tmp_path: Path) -> SfCli:
    return SfCli(tmp_path / "home", sealed.network.proxy_url, sealed.network.ca_path)


def test_sf_cli_after_an_access_token_login(sealed: SealedSalesforce, cli: SfCli) -> None:
    org, user, app = sealed.org("sfcli", records=6)
    tokens = sealed.tokens(user, app)
    login = cli.run("org", "login", "access-token", "--instance-url", tokens["instance_url"] + "/", "--no-prompt",
                    "--alias", "fake", token=tokens["access_token"])
    assert login.returncode == 0, login.stderr[-2000:]
    assert f"Successfully authorized {user['username']} with org ID {org['id']}" in login.stdout

    shown = cli.json("org", "display", "--target-org", "fake")
    assert (shown["id"], shown["username"], shown["connectedStatus"]) == (org["id"], user["username"], "Connected")
    queried = cli.json("data", "query", "--target-org", "fake", "--query", "SELECT Id, Name, Owner.Name FROM Account")
    assert queried["totalSize"] == 6 and all(r["Owner"]["Name"] == "Sam Sealed" for r in queried["records"])
    described = cli.json("sobject", "describe", "--target-org", "fake", "--sobject", "Account")
    assert {"OwnerId", "CreatedById", "Description"} <= {f["name"] for f in described["fields"]}
    listed = cli.json("sobject", "list", "--target-org", "fake")
    assert {"Account", "Contact", "Opportunity", "User", "Profile", "Organization"} <= set(listed)
    apps = cli.json("org", "list", "metadata", "--target-org", "fake", "--metadata-type", "ExternalClientApplication")
    assert [(a["fullName"], a["createdByName"]) for a in apps] == [("Client_Checks", "Sam Sealed")]
    types = cli.json("org", "list", "metadata-types", "--target-org", "fake")
    described = {t["xmlName"] for t in types["metadataObjects"]}
    assert {"ApexClass", "CustomObject", "ExternalClientApplication"} <= described
