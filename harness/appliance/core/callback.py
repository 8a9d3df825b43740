"""The callback URL the appliance shows and uses: ``https://<host the administrator used>``.

Rules served: CALLBACK - the app has to list the address the administrator types to reach the console;
EXAMPLE-DNS - the IP address 172.12.0.1 and the later DNS name acme.internal.com each give a URL of
their own: the scheme https and the bare name, with no path and no trailing slash.
The port appears only when it is not 443. A Host header that is not a plain host name is refused, so a
hostile header can never end up in the URL Salesforce is sent to.
"""

from __future__ import annotations

import re

from harness.appliance.core.errors import InvalidInput
from harness.appliance.core.host_header import parse_host

_NAME = re.compile(
    r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)


def split_host(host_header: str) -> tuple[str, int]:
    """The host and port of a Host header, by the strict rules of ``host_header.py``."""
    parsed = parse_host(host_header)
    if parsed is None:
        raise InvalidInput(f"The address {host_header!r} is not a host name the appliance can use.")
    return parsed


def callback_url(host_header: str) -> str:
    try:
        host, port = split_host(host_header)
    except ValueError as exc:
        raise InvalidInput(f"The address {host_header!r} is not a host name the appliance can use.") from exc
    return f"https://{host}" if port == 443 else f"https://{host}:{port}"


def my_domain_host(value: str) -> str:
    """A custom login domain as typed by the administrator: a host name, with or without https://."""
    text = value.strip().lower().removeprefix("https://").rstrip("/")
    if not text or "/" in text or ":" in text or not _NAME.match(text) or "." not in text:
        raise InvalidInput("Enter the My Domain login host, for example mycompany.my.salesforce.com.")
    return text
