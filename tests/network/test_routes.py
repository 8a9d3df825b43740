"""The route table maps documented names to loopback servers only (docs/design.md section 3)."""

from __future__ import annotations

import pytest

from harness.network import RouteTable


def test_exact_and_wildcard_routes() -> None:
    routes = RouteTable()
    routes.add("login.salesforce.com:443", ("127.0.0.1", 9001))
    routes.add("*.my.salesforce.com:443", ("127.0.0.1", 9001))
    routes.add("*.sandbox.my.salesforce.com:443", ("127.0.0.2", 9002))
    routes.add("172.12.0.1:443", ("::1", 9003))
    assert routes.resolve("login.salesforce.com", 443) == ("127.0.0.1", 9001)
    assert routes.resolve("LOGIN.Salesforce.com.", 443) == ("127.0.0.1", 9001)
    assert routes.resolve("acme.my.salesforce.com", 443) == ("127.0.0.1", 9001)
    assert routes.resolve("a.b.my.salesforce.com", 443) == ("127.0.0.1", 9001)
    assert routes.resolve("acme--dev.sandbox.my.salesforce.com", 443) == ("127.0.0.2", 9002)
    assert routes.resolve("172.12.0.1", 443) == ("::1", 9003)


@pytest.mark.parametrize(
    ("host", "port"),
    [
        ("my.salesforce.com", 443),
        ("login.salesforce.com", 80),
        ("172.12.0.2", 443),
        ("example.org", 443),
        ("evilmy.salesforce.com", 443),
    ],
)
def test_unrouted_destinations_resolve_to_none(host: str, port: int) -> None:
    routes = RouteTable()
    routes.add("login.salesforce.com:443", ("127.0.0.1", 9001))
    routes.add("*.my.salesforce.com:443", ("127.0.0.1", 9001))
    routes.add("172.12.0.1:443", ("127.0.0.1", 9003))
    assert routes.resolve(host, port) is None


@pytest.mark.parametrize("target", ["10.1.2.3", "172.12.0.1", "localhost", "0.0.0.0", "example.org"])
def test_non_loopback_targets_are_rejected(target: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        RouteTable().add("acme.internal.com:443", (target, 443))


@pytest.mark.parametrize("pattern", ["acme.internal.com", "acme:https", "*:443", "a.*.com:443", ":443"])
def test_bad_patterns_are_rejected(pattern: str) -> None:
    with pytest.raises(ValueError):
        RouteTable().add(pattern, ("127.0.0.1", 1))
