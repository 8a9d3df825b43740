"""Property tests: callback-URL derivation, callback matching, and every wizard field.

Rules served: CALLBACK and EXAMPLE-DNS (the callback URL is ``https://`` plus the host the
administrator used, with no path and no trailing slash; Salesforce matches it exactly), and "bad input
gets a 4xx naming the field, never a 5xx" for every field the wizard takes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from starlette.testclient import TestClient

from harness.appliance import ApplianceSettings, create_app
from harness.appliance import request_models as m
from harness.appliance.core.callback import callback_url, my_domain_host
from harness.appliance.core.errors import InvalidInput
from harness.reference.control_gate import HEADER, enable, new_token
from harness.reference.embedded import APPLIANCE_URL
from harness.salesforce.models.apps import App

LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
# A name ending in a number is an IPv4 address to a browser (harness/appliance/core/host_header.py): IPV4.
NAMES = st.lists(LABEL, min_size=1, max_size=4).map(".".join).filter(
    lambda name: not re.fullmatch(r"[0-9]+|0x[0-9a-f]*", name.rsplit(".", 1)[-1]))
IPV4 = st.tuples(*[st.integers(0, 255)] * 4).map(lambda parts: ".".join(map(str, parts)))
PORTS = st.one_of(st.none(), st.integers(1, 65535))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def _host(name: str, port: int | None) -> str:
    return name if port is None else f"{name}:{port}"


@FAST
@given(name=NAMES | IPV4, port=PORTS, upper=st.booleans())
def test_the_callback_url_is_https_and_the_host_used(name: str, port: int | None, upper: bool) -> None:
    url = callback_url(_host(name.upper() if upper else name, port))
    expected = f"https://{name}" + ("" if port in (None, 443) else f":{port}")
    assert url == expected
    parts = urlsplit(url)
    assert (parts.path, parts.query, parts.fragment, parts.username) == ("", "", "", None)


@FAST
@given(header=st.text(max_size=80))
def test_any_host_header_gives_a_clean_url_or_a_named_refusal(header: str) -> None:
    try:
        url = callback_url(header)
    except InvalidInput as refused:
        assert "address" in refused.message
        return
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.hostname and (parts.path, parts.query) == ("", "")
    assert "@" not in url and " " not in url and not url.endswith("/")


@FAST
@given(text=st.text(max_size=80))
def test_a_my_domain_entry_is_a_host_name_or_a_named_refusal(text: str) -> None:
    try:
        host = my_domain_host(text)
    except InvalidInput as refused:
        assert "My Domain" in refused.message
        return
    assert "." in host and "/" not in host and ":" not in host and host == host.lower()


def _app(callbacks: list[str]) -> App:
    return App("0x1", "00D1", "key", "secret", "Backup", "Backup", "a@b.example.com", callback_urls=callbacks)


@FAST
@given(name=NAMES | IPV4, port=PORTS)
def test_the_callback_the_wizard_shows_matches_an_app_that_lists_it(name: str, port: int | None) -> None:
    url = callback_url(_host(name, port))
    assert _app(["https://other.example.com", url]).matches_callback(url)


@FAST
@given(name=NAMES | IPV4, port=PORTS,
       change=st.sampled_from(["slash", "path", "http", "port", "upper-scheme", "query"]))
def test_a_near_miss_does_not_match(name: str, port: int | None, change: str) -> None:
    url = callback_url(_host(name, port))
    other = {
        "slash": url + "/",
        "path": url + "/callback",
        "http": url.replace("https://", "http://", 1),
        "port": f"https://{name}:{(port or 443) % 65535 + 1}",
        "upper-scheme": url.replace("https", "HTTPS", 1),
        "query": url + "?x=1",
    }[change]
    assert other != url and not _app([url]).matches_callback(other)


# -- every wizard field, through the JSON face in-process --------------------------------------------
WIZARD = [
    ("/wizard/license", m.LicenseAcceptance, 1),
    ("/wizard/administrator", m.Administrator, 2),
    ("/wizard/database", m.Database, 3),
    ("/wizard/license-file", m.LicenseFile, 4),
    ("/wizard/external-client-app", m.AppCredentials, 5),
    ("/wizard/salesforce", m.Authorization, 6),
]
FIELDS = [(path, model, step, name) for path, model, step in WIZARD for name in model.model_fields]
_TOKEN = new_token()


@pytest.fixture(scope="module")
def appliance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(ApplianceSettings(data_dir=Path(tmp_path_factory.mktemp("fields")), password_hash_cost=4))
    enable(app, _TOKEN)
    with TestClient(app, base_url=APPLIANCE_URL) as client:
        yield client


def _valid(model: type[BaseModel]) -> dict[str, Any]:
    return {m.Administrator: {"username": "admin", "password": "Str0ng!Pass"},
            m.Database: {"kind": "sqlite"}, m.LicenseAcceptance: {"accepted": True},
            m.AppCredentials: {"consumer_key": "3MVG9key", "consumer_secret": "s3cret"}}.get(model, {})


@pytest.mark.parametrize(("path", "model", "step", "name"), FIELDS, ids=[f"{p}:{n}" for p, _, _, n in FIELDS])
def test_every_wizard_field_takes_any_json_without_a_5xx(appliance: TestClient, path: str,
                                                         model: type[BaseModel], step: int, name: str) -> None:
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    @given(value=JSON_VALUES)
    def check(value: Any) -> None:
        answer = appliance.post(f"/api/v1{path}", content=json.dumps({**_valid(model), name: value}),
                                headers={"Content-Type": "application/json"})
        assert answer.status_code < 500, answer.text
        if answer.status_code >= 400:
            assert set(answer.json()) == {"error", "message"} and answer.json()["message"]

    _reach(appliance, step)
    check()


URL_PARTS = st.sampled_from(["postgresql://", "postgresql+psycopg://", "u", ":", "@", "[", "]", "::1", "db.example",
                             "5432", "abc", "/", "b", "?password=", "%", "#", " ", "\u00e9"])


@FAST
@given(parts=st.lists(URL_PARTS, max_size=10), tail=st.text(max_size=12))
def test_any_postgresql_url_is_refused_or_taken_without_a_5xx(appliance: TestClient, parts: list[str],
                                                              tail: str) -> None:
    _reach(appliance, 3)
    answer = appliance.post("/api/v1/wizard/database", json={"kind": "postgresql", "url": "".join(parts) + tail})
    assert answer.status_code in (200, 400), answer.text
    if answer.status_code == 400:
        assert answer.json()["message"]


def _reach(client: TestClient, step: int) -> None:
    """Puts the wizard at ``step`` through the API (steps 5 and 6 need no Salesforce to be shown)."""
    client.post("/__harness/reset", json={}, headers={HEADER: _TOKEN}).raise_for_status()
    for path, model, _ in WIZARD[: min(step, 5) - 1]:
        client.post(f"/api/v1{path}", json=_valid(model) | ({"trial": True} if model is m.LicenseFile else {}))
    if step == 6:
        client.post("/api/v1/wizard/external-client-app", json=_valid(m.AppCredentials))
    assert client.get("/api/v1/wizard").json()["step"] == step


@pytest.mark.parametrize(("path", "model", "step", "name"), FIELDS, ids=[f"{p}:{n}" for p, _, _, n in FIELDS])
def test_a_wrong_type_in_any_wizard_field_is_a_400_naming_it(path: str, model: type[BaseModel], step: int,
                                                             name: str) -> None:
    wrong = [] if name != "accepted" else "yes"
    with pytest.raises(InvalidInput) as refused:
        m.parse(model, json.dumps({**_valid(model), name: wrong}).encode())
    assert refused.value.message.startswith(name)
