"""Leading slashes folded before routing, as Salesforce's front door does.

Serves docs/salesforce-facts.md 3.9. A client that keeps an instance URL with a trailing slash
(``https://x.my.salesforce.com/``) and appends ``/services/...`` asks for ``//services/data/...``;
real instances answer that path as the REST API (an unauthenticated call gets the REST API's
``INVALID_SESSION_ID``, not a 404), and the ``sf`` CLI works against them after
``sf org login access-token``, whose stored instance URL ends with a slash. So a run of slashes at
the start of the path is one slash, for REST, SOAP, OAuth and identity paths alike.

A doubled slash inside a path (``/services/data/v60.0//sobjects``) is a different case and is not
folded: Salesforce answers it 404 (docs/salesforce-facts.md 3.9, restforce pull request 366).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def folded(path: str) -> str:
    """``path`` with its leading run of slashes made one; the rest of the path untouched."""
    stripped = path.lstrip("/")
    return "/" + stripped if len(stripped) < len(path) else path


class LeadingSlashes:
    """ASGI wrapper: rewrites ``path`` and ``raw_path`` so routing, logging and faults see one slash."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("//"):
            scope = dict(scope)
            scope["path"] = folded(scope["path"])
            raw = scope.get("raw_path")
            if raw is not None:
                scope["raw_path"] = b"/" + raw.lstrip(b"/")
        await self.app(scope, receive, send)
