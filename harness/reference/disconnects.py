"""A client that goes away before its request body has arrived is counted, not logged as a crash.

Rule served: no input makes a reference server misbehave (tests/security). A malformed chunked body or
a connection closed mid-body makes Starlette raise ``ClientDisconnect`` from ``request.body()`` /
``request.form()``; unhandled, the server logs it as "Exception in ASGI application" with a traceback,
though nobody is left to answer. This middleware ends such a request quietly (a debug line) and counts
it in ``app.state.client_disconnects``, so a test or an operator can see how many there were.
"""

from __future__ import annotations

import logging
import threading

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)
_COUNT_LOCK = threading.Lock()  # servers of one process may share nothing else, but be safe


class QuietDisconnects:
    """Outermost of the app's own middleware: catches ``ClientDisconnect`` from anything inside it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except ClientDisconnect:
            count = _count(scope)
            log.debug("%s %s: the client went away before its request body arrived (%d so far)",
                      scope.get("method"), scope.get("path"), count)


def _count(scope: Scope) -> int:
    """Adds one to ``app.state.client_disconnects`` and returns the new total."""
    state = scope["app"].state
    with _COUNT_LOCK:
        state.client_disconnects = getattr(state, "client_disconnects", 0) + 1
        return int(state.client_disconnects)
