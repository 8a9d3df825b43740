"""Strict parsing of the ``Host`` header: a DNS name, a dotted IPv4 address or a bracketed IPv6 address,
and an optional port - nothing else.

Rules served: CALLBACK (the callback URL is built from the Host the administrator used, so the Host must
be exactly a host, or a hostile header ends up in the URL Salesforce is sent to) and RFC 9110 section 7.2
/ RFC 3986 section 3.2.2 (``Host = uri-host [ ":" port ]``), narrowed on purpose (our choice): no
user info, no zone identifier (``%eth0`` names an interface of one machine, never a site), no IPvFuture,
no empty or zero or signed port, no trailing dot, no name ending in a number (``1.2.3``, ``acme.1``,
``acme.0x1``: a browser reads those as IPv4) unless it is a valid dotted IPv4 address, and no byte
outside the few a host can contain. Anything else is ``None``, which
the faces answer with 400.
"""

from __future__ import annotations

import ipaddress
import re

# A whole Host value: "[" IPv6 "]" or a name/IPv4, then an optional ":" port. Every part is matched in
# full, so no trailing text ("]x", "]@evil.example"), no missing "]" and no "%zone" gets through.
_HOST = re.compile(r"(?:\[(?P<ipv6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9.-]+))(?::(?P<port>[1-9][0-9]{0,4}))?")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_NUMBER = re.compile(r"[0-9]+|0x[0-9a-f]*")  # what the WHATWG URL parser takes for an IPv4 part
DEFAULT_PORT = 443


def parse_host(value: str) -> tuple[str, int] | None:
    """``(host, port)`` for a well-formed Host header (host lower-cased, IPv6 in brackets), else None."""
    if not value.isascii():
        return None
    found = _HOST.fullmatch(value.lower())
    if found is None:
        return None
    port = int(found["port"]) if found["port"] else DEFAULT_PORT
    if port > 65535:
        return None
    if found["ipv6"] is not None:
        return (f"[{found['ipv6']}]", port) if _is_ipv6(found["ipv6"]) else None
    name = found["name"]
    return (name, port) if _is_name_or_ipv4(name) else None


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _is_name_or_ipv4(name: str) -> bool:
    labels = name.split(".")
    if _NUMBER.fullmatch(labels[-1]):
        # A browser reads a host ending in a number as an IPv4 address (WHATWG URL, "ends in a number"):
        # "1.2.3" is 1.2.0.3 and "acme.1" no host at all. Only a valid dotted IPv4 address may end so.
        try:
            ipaddress.IPv4Address(name)
        except ValueError:
            return False
        return True
    return len(name) <= 253 and all(_LABEL.fullmatch(label) for label in labels)
