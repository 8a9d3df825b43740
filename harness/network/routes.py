"""The route table of the sealed virtual network.

Rule served: scenarios use the documented names literally (``172.12.0.1``, ``acme.internal.com``,
``login.salesforce.com``, ``*.my.salesforce.com``) but no byte may leave the machine (docs/design.md
section 3). Every route therefore maps a ``host:port`` pattern to a loopback target, and adding a
route to anything else is refused at once.
"""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass


def is_loopback(host: str) -> bool:
    """True only for literal loopback addresses (127.0.0.0/8, ::1); names never count."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _normalise_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def split_host_port(text: str) -> tuple[str, int]:
    """Split ``host:port`` (``[v6]:port`` allowed); raises ValueError on anything else."""
    text = text.strip()
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep or not rest.startswith(":"):
            raise ValueError(f"not host:port: {text!r}")
        port_text = rest[1:]
    else:
        host, sep, port_text = text.rpartition(":")
        if not sep or ":" in host:
            raise ValueError(f"not host:port: {text!r}")
    if not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"not host:port: {text!r}")
    return _normalise_host(host), int(port_text)


@dataclass(frozen=True)
class Route:
    host: str  # exact host, or "*.suffix" matching one or more labels before the suffix
    port: int
    target: tuple[str, int]

    def matches(self, host: str, port: int) -> bool:
        if port != self.port:
            return False
        if self.host.startswith("*."):
            suffix = self.host[1:]  # ".my.salesforce.com"
            return host.endswith(suffix) and len(host) > len(suffix) and not host.startswith(".")
        return host == self.host


class RouteTable:
    """Thread-safe ``host:port`` -> loopback ``(host, port)`` table; exact routes win over wildcards."""

    def __init__(self) -> None:
        self._routes: list[Route] = []
        self._lock = threading.Lock()

    def add(self, pattern: str, target: tuple[str, int]) -> None:
        host, port = split_host_port(pattern)
        if "*" in host and (not host.startswith("*.") or "*" in host[2:] or len(host) < 3):
            raise ValueError(f"wildcards are only allowed as a leading '*.': {pattern!r}")
        target_host, target_port = target
        if not is_loopback(target_host):
            raise ValueError(f"route {pattern!r} -> {target_host}:{target_port}: target is not loopback")
        if not 0 < int(target_port) < 65536:
            raise ValueError(f"route {pattern!r}: bad target port {target_port!r}")
        route = Route(host, port, (_normalise_host(target_host), int(target_port)))
        with self._lock:
            self._routes = [r for r in self._routes if (r.host, r.port) != (host, port)] + [route]

    def resolve(self, host: str, port: int) -> tuple[str, int] | None:
        host = _normalise_host(host)
        with self._lock:
            routes = list(self._routes)
        exact = [r for r in routes if not r.host.startswith("*.") and r.matches(host, port)]
        if exact:
            return exact[0].target
        # The longest wildcard suffix is the most specific (``*.sandbox.my...`` beats ``*.my...``).
        wild = sorted(
            (r for r in routes if r.host.startswith("*.") and r.matches(host, port)),
            key=lambda r: len(r.host),
            reverse=True,
        )
        return wild[0].target if wild else None

    def routes(self) -> list[Route]:
        with self._lock:
            return list(self._routes)
