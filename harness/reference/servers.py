"""Runs ASGI apps on uvicorn over HTTPS on ephemeral loopback ports, in background threads.

The design asks for servers started once per test session with readiness and clean shutdown;
uvicorn's ``Server`` gives both (``started`` flag, ``should_exit``), so no hand-made HTTP stack.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn

_READY_TIMEOUT_S = 20.0
_KEEP_ALIVE_S = 600


class _Server(uvicorn.Server):
    """uvicorn's server, telling the starting thread the moment start-up is over (no polling)."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.settled = threading.Event()  # set once started, or once it gave up trying
        self.failure: BaseException | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets)
        finally:
            self.settled.set()

    def run_until_stopped(self) -> None:
        try:
            self.run()
        except Exception as exc:  # handed to the starting thread, which names it
            self.failure = exc
        finally:
            self.settled.set()


@dataclass
class ServerThread:
    """One uvicorn server bound to 127.0.0.1 on a port chosen by the OS."""

    app: Any
    certfile: Path
    keyfile: Path
    name: str = "server"
    port: int = 0
    _server: _Server | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> int:
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=0,
            ssl_certfile=str(self.certfile),
            ssl_keyfile=str(self.keyfile),
            log_level="warning",
            lifespan="off",
            access_log=False,
            # Clients keep their connections (and TLS sessions) between scenarios; uvicorn's 5 s
            # default would drop them whenever a slow browser scenario runs in between.
            timeout_keep_alive=_KEEP_ALIVE_S,
        )
        self._server = _Server(config)
        self._thread = threading.Thread(target=self._server.run_until_stopped, name=f"{self.name}-uvicorn",
                                        daemon=True)
        self._thread.start()
        self.port = self._wait_ready()
        return self.port

    def _wait_ready(self) -> int:
        assert self._server is not None
        if not self._server.settled.wait(_READY_TIMEOUT_S):
            raise RuntimeError(f"{self.name} server was not ready after {_READY_TIMEOUT_S} s")
        if not self._server.started:
            reason = f": {self._server.failure!r}" if self._server.failure else ""
            raise RuntimeError(f"{self.name} server stopped before it was ready{reason}") from self._server.failure
        sockets = self._server.servers[0].sockets
        return int(sockets[0].getsockname()[1])

    def request_stop(self) -> None:
        """Asks the server to stop without waiting, so several servers can stop at once.

        ``force_exit``: the harness stops its servers only after the last scenario, so nothing is in
        flight; waiting for idle kept-alive connections (the appliance's client to Salesforce keeps
        one open through the proxy) would only wait for a TLS close that never comes.
        """
        if self._server is not None:
            self._server.should_exit = True
            self._server.force_exit = True

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=10)
            if self._thread.is_alive():
                raise RuntimeError(f"{self.name} server did not stop within 10 s")

    def stop(self) -> None:
        self.request_stop()
        self.join()
