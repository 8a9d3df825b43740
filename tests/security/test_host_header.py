"""Every malformed or zone-id Host is refused with 400; a well-formed one gives exactly its own callback URL.

Rule served: CALLBACK with the strict Host rules of harness/appliance/core/host_header.py. Through the
virtual network a hostile Host reaches the real server; the appliance answers 400 ``bad_host`` before
any handler, so no part of such a header can reach the callback URL sent to Salesforce.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.appliance.core.callback import callback_url
from harness.appliance.core.errors import InvalidInput
from harness.appliance.core.host_header import parse_host
from harness.reference.embedded import APPLIANCE_URL

# The four the old parser let through, then the ways a Host can be almost right.
MALFORMED = [
    "[::1", "[::1]x", "[::1]@evil.example", "[fe80::1%eth0]",
    "[fe80::1%25eth0]", "[fe80::1%25eth0]:443", "[::1]:", "[::1]]", "[[::1]]", "[]", "[1.2.3.4]", "::1",
    "[v1.fe80::a]", "172.12.0.1:", "172.12.0.1:0", "172.12.0.1:0443", "172.12.0.1:+443", "172.12.0.1:65536",
    "172.12.0.1:443:443", "user@172.12.0.1", "acme.internal.com.", ".acme.internal.com", "acme..internal.com",
    "1.2.3", "0", "acme.1", "acme.0x1f", "1.2.3.4.5",
    "256.1.1.1", "01.2.3.4", "acme_internal.com", "-acme.internal.com", "acme-.internal.com",
    "a" * 64 + ".internal.com", ("a" * 60 + ".") * 5 + "com", "acme.internal.com/x", "acme.internal.com?x",
    "acme.internal.com#x", "acme.internal.com%00", "", " acme.internal.com", "acme.internal.com\t",
    "ácme.internal.com", "acme.internal.com:４４３",
]
WELL_FORMED = {
    "172.12.0.1": "https://172.12.0.1",
    "acme.internal.com": "https://acme.internal.com",
    "ACME.Internal.com:8443": "https://acme.internal.com:8443",
    "acme.internal.com:443": "https://acme.internal.com",
    "[::1]": "https://[::1]",
    "[2001:DB8::1]:8443": "https://[2001:db8::1]:8443",
    "localhost": "https://localhost",
    "xn--acm-fla.example": "https://xn--acm-fla.example",
}


@pytest.mark.parametrize("host", MALFORMED)
def test_a_malformed_host_gives_no_callback_url(host: str) -> None:
    assert parse_host(host) is None
    with pytest.raises(InvalidInput):
        callback_url(host)


@pytest.mark.parametrize(("host", "url"), WELL_FORMED.items())
def test_a_well_formed_host_gives_its_own_callback_url(host: str, url: str) -> None:
    assert callback_url(host) == url


@given(st.text(alphabet="abc019.-:[]%@/_ é", max_size=30))
def test_an_accepted_host_is_exactly_the_host_and_port_of_its_callback_url(value: str) -> None:
    parsed = parse_host(value)
    if parsed is None:
        return
    host, port = parsed
    url = urlsplit(callback_url(value))
    assert (url.hostname, url.port or 443, url.path, url.query) == (host.strip("[]"), port, "", "")
    assert value.lower() in (host, f"{host}:{port}"), "nothing of the header is dropped or rewritten"


SENDABLE = [host for host in MALFORMED if host and host == host.strip() and host.isascii()]


def test_the_appliance_answers_400_to_every_malformed_host(stranger: httpx.Client, appliances: object) -> None:
    answers = {host: stranger.get(f"{APPLIANCE_URL}/api/v1/wizard", headers={"Host": host}) for host in SENDABLE}
    wrong = {host: (a.status_code, a.text[:80]) for host, a in answers.items()
             if a.status_code != 400 or a.json().get("error") != "bad_host"}
    assert not wrong, wrong
    assert len(answers) >= 24
    assert stranger.get(f"{APPLIANCE_URL}/api/v1/wizard").status_code == 200
