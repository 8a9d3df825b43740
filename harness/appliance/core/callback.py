"""The callback URL the appliance shows and uses: ``https://<host the administrator used>``.

Rules served: CALLBACK - the app has to list the address the administrator types to reach the console;
EXAMPLE-DNS - the IP address 172.12.0.1 and the later DNS name acme.internal.com each give a URL of
their own: the scheme https and the bare name, with no path and no trailing slash.
The port appears only when it is not 443. A Host header that is not a plain host name is refused, so a
hostile header can never end up in the URL Salesforce is sent to.
"""

from __future__ import annotations

import ipaddress
import re

from harness.appliance.core.errors import InvalidInput

_NAME = re.compile(
    r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)


def split_host(host_header: str) -> tuple[str, int]:
    value = host_header.strip().lower()
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
        ipaddress.IPv6Address(host)
        host = f"[{host}]"
    else:
        host, _, port_text = value.partition(":")
    if not host.startswith("[") and not _NAME.match(host):
        raise InvalidInput(f"The address {host_header!r} is not a host name the appliance can use.")
    if port_text and not (port_text.isdigit() and 0 < int(port_text) < 65536):
        raise InvalidInput(f"The address {host_header!r} has an invalid port.")
    return host, int(port_text) if port_text else 443


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
