"""The CONNECT proxy that seals the virtual network.

Rule served: "A small proxy on 127.0.0.1 routes each name to a loopback server and refuses every
other destination, so no byte leaves the machine" (docs/design.md section 3). The browser and the
appliance's outbound client both send ``CONNECT host:port`` here. A routed destination is tunnelled
to its loopback server; anything else - an unrouted name, an unrouted IP such as ``10.1.2.3``, a
plain ``GET`` from Chromium's background services, a garbled request line - gets an HTTP error and a
record, and is never dialled. The only socket this module opens outwards is to a loopback address,
and it checks that before every dial. The records keep the most recent ``RECORDS_KEPT`` of each kind
and a running total of each (``totals``): the proxy lives for the whole run, and a long run opens a
tunnel or two per scenario (a browser context's, the appliance's), so whole lists grew with the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from harness.network.routes import RouteTable, is_loopback, split_host_port

log = logging.getLogger(__name__)

_HEAD_LIMIT = 16 * 1024
_HEAD_TIMEOUT = 30.0
_DIAL_TIMEOUT = 5.0
_DRAIN_GRACE = 5.0
_LINGER = 1.0
_CHUNK = 64 * 1024
# Per kind of record (refusals, connections, tunnels): the most recent ones kept; older ones only counted.
RECORDS_KEPT = 100


@dataclass(frozen=True)
class Refusal:
    """A request the proxy answered with an error instead of a tunnel."""

    host: str
    port: int
    reason: str
    at: float = field(default_factory=time.time)
    status: int = 403


@dataclass(frozen=True)
class Tunnel:
    """A tunnel the proxy opened: the name the client asked for and the loopback target it reached."""

    host: str
    port: int
    target: tuple[str, int]
    at: float = field(default_factory=time.time)


class SealBreach(RuntimeError):
    """Raised if the proxy is ever about to dial a non-loopback address (a bug, never a user error)."""


class ConnectProxy:
    """An asyncio CONNECT proxy on 127.0.0.1 running in a daemon thread."""

    def __init__(self, routes: RouteTable, host: str = "127.0.0.1") -> None:
        if not is_loopback(host):
            raise ValueError(f"the proxy listens on loopback only, not {host!r}")
        self.routes = routes
        self._host = host
        self._port: int | None = None
        self._lock = threading.Lock()
        self._refusals: deque[Refusal] = deque(maxlen=RECORDS_KEPT)
        self._connections: deque[tuple[str, int]] = deque(maxlen=RECORDS_KEPT)
        self._tunnels: deque[Tunnel] = deque(maxlen=RECORDS_KEPT)
        self._totals = {"refusals": 0, "connections": 0, "tunnels": 0}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    # -- records ---------------------------------------------------------------------------------
    @property
    def refusals(self) -> list[Refusal]:
        with self._lock:
            return list(self._refusals)

    @property
    def connections(self) -> list[tuple[str, int]]:
        with self._lock:
            return list(self._connections)

    @property
    def tunnels(self) -> list[Tunnel]:
        with self._lock:
            return list(self._tunnels)

    @property
    def totals(self) -> dict[str, int]:
        """How many refusals, connections and tunnels there were since the start or the last clear,
        including those no longer kept in the records."""
        with self._lock:
            return dict(self._totals)

    def clear_records(self) -> None:
        with self._lock:
            self._refusals.clear()
            self._connections.clear()
            self._tunnels.clear()
            self._totals = dict.fromkeys(self._totals, 0)

    def _refuse_record(self, host: str, port: int, reason: str, status: int) -> None:
        with self._lock:
            self._refusals.append(Refusal(host, port, reason, status=status))
            self._totals["refusals"] += 1

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the proxy is not started")
        return self._port

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}"

    def start(self) -> int:
        if self._thread is not None:
            return self.port
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                self._server = loop.run_until_complete(
                    asyncio.start_server(self._handle, self._host, 0, limit=_HEAD_LIMIT)
                )
                self._port = self._server.sockets[0].getsockname()[1]
            except BaseException as exc:  # noqa: BLE001 - handed to the starting thread
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self._shutdown())
                loop.close()

        self._thread = threading.Thread(target=run, name="harness-connect-proxy", daemon=True)
        self._thread.start()
        ready.wait(10)
        if failure:
            self._thread = None
            raise RuntimeError("the CONNECT proxy could not start") from failure[0]
        return self.port

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        with contextlib.suppress(RuntimeError):  # loop already closed
            loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        self._thread = None
        self._loop = None

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def __enter__(self) -> ConnectProxy:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- protocol --------------------------------------------------------------------------------
    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            await self._serve_one(reader, writer)
            await _linger(reader, writer)
        except (asyncio.CancelledError, ConnectionError, TimeoutError, asyncio.IncompleteReadError):
            pass
        except SealBreach:
            log.critical("refused to dial a non-loopback address", exc_info=True)
        except Exception:  # a client must never be able to crash the proxy
            log.exception("CONNECT proxy: unexpected error")
        finally:
            with contextlib.suppress(Exception):
                writer.close()
            if task is not None:
                self._tasks.discard(task)

    async def _serve_one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), _HEAD_TIMEOUT)
        except asyncio.LimitOverrunError:
            await self._reply_error(
                writer, "", 0, 431, "Request Header Fields Too Large", "request head too large"
            )
            return
        except asyncio.IncompleteReadError as exc:
            if exc.partial.strip():
                await self._reply_error(writer, "", 0, 400, "Bad Request", "incomplete request head")
            return
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = request_line.split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            await self._reply_error(
                writer, "", 0, 400, "Bad Request", f"malformed request line {request_line[:80]!r}"
            )
            return
        method, target, _version = parts
        if method.upper() != "CONNECT":
            host, port = _origin_of(target)
            await self._reply_error(
                writer,
                host,
                port,
                405,
                "Method Not Allowed",
                f"{method[:16]} is not supported; this proxy only tunnels CONNECT",
            )
            return
        try:
            host, port = split_host_port(target)
        except ValueError:
            await self._reply_error(writer, "", 0, 400, "Bad Request", f"bad CONNECT target {target[:80]!r}")
            return
        destination = self.routes.resolve(host, port)
        if destination is None:
            await self._reply_error(
                writer, host, port, 403, "Forbidden", "destination is not on the harness network"
            )
            return
        await self._tunnel(reader, writer, host, port, destination)

    async def _tunnel(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        host: str,
        port: int,
        destination: tuple[str, int],
    ) -> None:
        target_host, target_port = destination
        if not is_loopback(target_host):
            await self._reply_error(
                writer, host, port, 500, "Internal Server Error", "route target is not loopback; not dialled"
            )
            raise SealBreach(f"{host}:{port} resolved to non-loopback {target_host}:{target_port}")
        with self._lock:
            self._connections.append((target_host, target_port))
            self._totals["connections"] += 1
        try:
            up_reader, up_writer = await asyncio.wait_for(
                asyncio.open_connection(target_host, target_port), _DIAL_TIMEOUT
            )
        except (OSError, TimeoutError) as exc:
            await self._reply_error(
                writer,
                host,
                port,
                502,
                "Bad Gateway",
                f"loopback server {target_host}:{target_port} unreachable ({exc})",
            )
            return
        with self._lock:
            self._tunnels.append(Tunnel(host, port, (target_host, target_port)))
            self._totals["tunnels"] += 1
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        try:
            await _pipe_both(reader, writer, up_reader, up_writer)
        finally:
            with contextlib.suppress(Exception):
                up_writer.close()

    async def _reply_error(
        self, writer: asyncio.StreamWriter, host: str, port: int, status: int, phrase: str, reason: str
    ) -> None:
        self._refuse_record(host, port, reason, status)
        where = f"{host}:{port}" if host else "(no destination)"
        body = f"harness proxy refused {where}: {reason}\n".encode()
        writer.write(
            f"HTTP/1.1 {status} {phrase}\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        with contextlib.suppress(ConnectionError):
            await writer.drain()


def _origin_of(target: str) -> tuple[str, int]:
    """Best-effort destination of an absolute-form request (``GET http://host/...``), for the record."""
    try:
        parts = urlsplit(target)
        if parts.hostname:
            return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        pass
    return "", 0


async def _linger(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Half-close, then drain what the client still sends, so closing does not reset the connection
    (a reset can destroy the error answer before the client has read it)."""
    with contextlib.suppress(Exception):
        if writer.can_write_eof():
            writer.write_eof()
    deadline = asyncio.get_running_loop().time() + _LINGER
    with contextlib.suppress(Exception):
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            if not await asyncio.wait_for(reader.read(_CHUNK), left):
                return


async def _copy(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
    try:
        while data := await src.read(_CHUNK):
            dst.write(data)
            await dst.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(Exception):
            if dst.can_write_eof():
                dst.write_eof()


async def _pipe_both(
    a_reader: asyncio.StreamReader,
    a_writer: asyncio.StreamWriter,
    b_reader: asyncio.StreamReader,
    b_writer: asyncio.StreamWriter,
) -> None:
    """Copy both ways; once one side finishes, give the other a short grace, then close both."""
    tasks = {
        asyncio.ensure_future(_copy(a_reader, b_writer)),
        asyncio.ensure_future(_copy(b_reader, a_writer)),
    }
    try:
        _done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        if pending:
            await asyncio.wait(pending, timeout=_DRAIN_GRACE)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
