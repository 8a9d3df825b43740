"""No input makes the appliance answer 5xx: hostile bodies, paths, query strings and Host headers.

Weakness served: about one hostile request in ten answered 500 (deeply nested JSON, a number where a
string belongs, lone surrogates, very large ids, a malformed Host header). Every request here goes
through the virtual network to the real server, in three states of the appliance.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from harness.drivers.api import ApiAdministrator
from harness.reference.embedded import APPLIANCE_URL

HUGE = "9" * 40
WRITES = [
    ("POST", "/api/v1/wizard/back"), ("POST", "/api/v1/wizard/license"),
    ("POST", "/api/v1/wizard/administrator"), ("POST", "/api/v1/wizard/database"),
    ("POST", "/api/v1/wizard/license-file"), ("POST", "/api/v1/wizard/external-client-app"),
    ("POST", "/api/v1/wizard/salesforce"), ("POST", "/api/v1/wizard/salesforce/next"),
    ("POST", "/api/v1/wizard/schedule"), ("POST", "/api/v1/wizard/finish"), ("POST", "/api/v1/session"),
    ("POST", "/api/v1/orgs/add"), ("POST", f"/api/v1/orgs/{HUGE}/connection"),
    ("POST", "/api/v1/orgs/%ED%A0%80/reauthorize"), ("POST", f"/api/v1/policies/{HUGE}/run"),
    ("PUT", "/api/v1/security/connected-app"), ("DELETE", "/api/v1/session"),
]
READS = [
    "/", "/wizard", "/wizard/license", "/wizard/external-client-app", "/wizard/salesforce", "/login",
    "/configuration/orgs", f"/configuration/orgs/{HUGE}/edit", "/configuration/policies",
    "/api/v1/wizard", "/api/v1/wizard/external-client-app", "/api/v1/wizard/salesforce", "/api/v1/wizard/summary",
    "/api/v1/orgs", "/api/v1/orgs/authorization", f"/api/v1/policies/{HUGE}/runs",
    f"/api/v1/policies/-{HUGE}/runs", "/api/v1/openapi.json", "/api/v1/orgs/%00/reauthorize",
]
BODIES: list[bytes] = [
    b"[" * 50_000 + b"]" * 50_000,
    b'{"a":' * 20_000 + b"1" + b"}" * 20_000,
    b'{"username": 1, "password": [], "accepted": "yes", "kind": 5, "schedule": {"x": 1}}',
    b'{"consumer_key": null, "consumer_secret": 7, "environment": 1, "my_domain": []}',
    b'{"username": "\\ud800", "password": "Ab1!\\udfff", "consumer_key": "\\udc00", "my_domain": "\\ud83d"}',
    b'{"environment": "custom", "my_domain": "\\ud800.my.salesforce.com", "kind": "postgresql", "url": "\\udfff"}',
    b'{"trial": "no", "license": 12, "schedule": "' + b"x" * 100_000 + b'"}',
    b'{"advance_seconds": 1e400, "accepted": NaN}',
    b"\xff\xfe\x00garbage",
    b"[1, 2, 3]",
    b'"just a string"',
    b"",
]
FORMS: list[tuple[str, bytes]] = [
    ("application/x-www-form-urlencoded", b"csrf_token=%ED%A0%80&username=%FF&password=%00"),
    ("application/x-www-form-urlencoded", b"a=" + b"%" * 5000),
    ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-data\r\n\r\n--xyz--"),
    ("multipart/form-data", b"no boundary at all"),
]
FORM_TARGETS = ["/wizard/license", "/wizard/administrator", "/wizard/license-file", "/wizard/salesforce",
                "/wizard/summary/back", "/login", "/logout", "/configuration/orgs/add",
                f"/configuration/policies/{HUGE}/run", f"/configuration/orgs/{HUGE}/edit"]
HOSTS = ["a b", "[::1", "172.12.0.1:abc", "172.12.0.1:99999", "", "..", "x" * 300, "evil.example.com/@x",
         "172.12.0.1 x", "%00", "[zz]:1", "-a-.b"]
QUERIES = ["state=%ED%A0%80&code=x", "state=" + "s" * 10_000, "error=%FF&error_description=%ED%A0%80&state=1",
           "code=&state=", "state=a&state=b&code=c"]


def _requests() -> Iterator[tuple[str, str, dict[str, str], bytes]]:
    json = {"Content-Type": "application/json"}
    for method, path in WRITES:
        for body in BODIES:
            yield method, path, json, body
    for path in FORM_TARGETS:
        for kind, body in FORMS:
            yield "POST", path, {"Content-Type": kind}, body
    for path in READS:
        yield "GET", path, {}, b""
        for host in HOSTS:
            yield "GET", path, {"Host": host}, b""
    for query in QUERIES:
        yield "GET", f"/?{query}", {}, b""
    for host in HOSTS:
        yield "POST", "/api/v1/wizard/salesforce", {**json, "Host": host}, b'{"environment": "production"}'
        yield "POST", "/api/v1/orgs/add", {**json, "Host": host}, b"{}"


HOSTILE = list(_requests())


def _fire(client: httpx.Client) -> list[str]:
    """Sends every hostile request; returns those answered with a 5xx."""
    failures = []
    for method, path, headers, body in HOSTILE:
        try:
            answer = client.request(method, f"{APPLIANCE_URL}{path}", headers=headers, content=body)
        except httpx.RemoteProtocolError as exc:  # a dropped connection is as bad as a 500
            failures.append(f"{method} {path} {headers} {body[:60]!r} -> {exc}")
            continue
        if answer.status_code >= 500:
            failures.append(f"{method} {path} {headers} {body[:60]!r} -> {answer.status_code}")
        elif "strict-transport-security" not in answer.headers:  # "no 5xx" only counts if the appliance answered
            failures.append(f"{method} {path} {headers} {body[:60]!r} -> not the appliance's answer")
    return failures


def test_no_hostile_input_gets_a_5xx_on_a_fresh_appliance(stranger: httpx.Client, appliances: object) -> None:
    assert _fire(stranger) == []


def test_no_hostile_input_gets_a_5xx_mid_wizard(at_app_step: ApiAdministrator) -> None:
    assert _fire(at_app_step.http) == []


def test_no_hostile_input_gets_a_5xx_once_finished(finished: ApiAdministrator) -> None:
    assert _fire(finished.http) == []


@pytest.mark.parametrize("path", ["/api/v1/wizard/administrator", "/api/v1/wizard/schedule"])
def test_a_wrong_type_is_a_400_naming_the_field(stranger: httpx.Client, appliances: object, path: str) -> None:
    answer = stranger.post(f"{APPLIANCE_URL}{path}", json={"username": 1, "password": [], "schedule": 3})
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] == "invalid_input"
    field = "username" if "administrator" in path else "schedule"
    assert field in answer.json()["message"]
