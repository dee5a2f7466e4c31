"""A loopback TCP proxy that breaks connections on command, for network tests.

One thread runs a selector over the listener and every forwarded pair of
sockets; the controls are posted to it and return once it has acted, so a
test knows the break has happened when ``cut()`` returns.

    with TcpProxy(("127.0.0.1", imap_port)) as proxy:
        client = IMAPClient(proxy.host, proxy.port, ...)
        proxy.cut()                   # RST every open connection now
        proxy.stall()                 # forward nothing; clients hang
        proxy.cut_after_bytes(50_000) # RST the next connection that has
                                      # carried 50 kB more to its client
"""

from __future__ import annotations

import contextlib
import ipaddress
import queue
import selectors
import socket
import struct
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

_T = TypeVar("_T")
_Command = tuple[Callable[[], Any], list[Any], threading.Event]
_CHUNK = 65536


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _abort(sock: socket.socket) -> None:
    """Close with an RST (SO_LINGER 0) rather than a FIN."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class _Pipe:
    """One client connection and its upstream connection."""

    def __init__(self, client: socket.socket, server: socket.socket, budget: int | None) -> None:
        self.client = client
        self.server = server
        self.to_server = bytearray()
        self.to_client = bytearray()
        self.client_eof = False  # client sent FIN: no more reads from it
        self.server_eof = False
        self.client_shut = False  # FIN passed on to the client
        self.server_shut = False
        self.budget = budget  # bytes to the client before the cut, None: unlimited
        self.cut_pending = False  # budget spent: RST once to_client is flushed
        self.closed = False


class TcpProxy:
    """Forward 127.0.0.1:<port> to TARGET, and break that on command.

    Bounded: at most MAX_CONNECTIONS at once (more are refused with an RST),
    and at most BUFFER bytes held per direction per connection.
    Counters: ``connections`` (accepted so far), ``active``, ``cuts``
    (connections the proxy broke), ``bytes_to_server``, ``bytes_to_client``.
    """

    def __init__(
        self,
        target: tuple[str, int],
        *,
        max_connections: int = 32,
        buffer: int = 1 << 20,
        connect_timeout: float = 5.0,
    ) -> None:
        if not _is_loopback(target[0]):
            raise ValueError(f"TcpProxy forwards to loopback only, not {target[0]}")
        self.target = target
        self.max_connections = max_connections
        self.buffer = buffer
        self.connect_timeout = connect_timeout
        self.connections = 0
        self.cuts = 0
        self.bytes_to_server = 0
        self.bytes_to_client = 0
        self._pipes: set[_Pipe] = set()
        self._stalled = False
        self._cut_after: int | None = None
        self._cuts_left: int | None = None  # None: every connection, forever
        self._commands: queue.SimpleQueue[_Command] = queue.SimpleQueue()
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=max_connections)
        self._listener.setblocking(False)
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._interest: dict[socket.socket, int] = {}
        self._running = False
        self._thread = threading.Thread(target=self._loop, name="tcp-proxy", daemon=True)
        self.host, self.port = self._listener.getsockname()[:2]

    # --- lifecycle -----------------------------------------------------------

    def start(self) -> TcpProxy:
        self._selector.register(self._listener, selectors.EVENT_READ, "accept")
        self._selector.register(self._wake_r, selectors.EVENT_READ, "wake")
        self._running = True
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop forwarding, close every socket and join the thread. Idempotent."""
        if self._thread.is_alive():
            self._call(self._stop)
            self._thread.join(10)
            if self._thread.is_alive():
                raise RuntimeError("tcp proxy thread did not stop")
        for pipe in list(self._pipes):
            self._close_pipe(pipe, rst=True)
        for sock in (self._listener, self._wake_r, self._wake_w):
            sock.close()
        self._selector.close()

    def __enter__(self) -> TcpProxy:
        return self.start() if not self._thread.is_alive() else self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- controls (any thread) ----------------------------------------------

    @property
    def active(self) -> int:
        """Connections open right now."""
        return self._call(lambda: len(self._pipes))

    def cut(self) -> int:
        """Break every open connection now, with an RST to both ends; return how many."""

        def cut_all() -> int:
            pipes = list(self._pipes)
            self.cuts += len(pipes)
            for pipe in pipes:
                self._close_pipe(pipe, rst=True)
            return len(pipes)

        return self._call(cut_all)

    def stall(self, on: bool = True) -> None:
        """Stop (or resume) moving bytes in both directions on every connection."""

        def set_stall() -> None:
            self._stalled = on
            for pipe in list(self._pipes):
                self._update(pipe)

        self._call(set_stall)

    def cut_after_bytes(self, n: int | None, *, times: int | None = 1) -> None:
        """Break a connection with an RST once it has carried N more bytes to the client.

        Counts from now for open connections and from the start for new ones.
        After TIMES such cuts the proxy forwards normally again (None: cut
        every connection); ``cut_after_bytes(None)`` disarms it.
        """

        def arm() -> None:
            self._cut_after = n
            self._cuts_left = times if n is not None else None
            for pipe in self._pipes:
                pipe.budget = n

        self._call(arm)

    # --- the loop thread -------------------------------------------------------

    def _call(self, fn: Callable[[], _T]) -> _T:
        if not self._thread.is_alive():
            raise RuntimeError("tcp proxy is not running")
        result: list[Any] = []
        done = threading.Event()
        self._commands.put((fn, result, done))
        self._wake_w.send(b"x")
        if not done.wait(10):
            raise RuntimeError("tcp proxy did not answer")
        if isinstance(result[0], BaseException):
            raise result[0]
        return result[0]  # type: ignore[no-any-return]

    def _stop(self) -> None:
        self._running = False

    def _loop(self) -> None:
        while self._running:
            for key, events in self._selector.select():
                if key.data == "accept":
                    self._accept()
                elif key.data == "wake":
                    self._run_commands()
                else:
                    pipe, side = key.data
                    if not pipe.closed:
                        self._service(pipe, side, events)

    def _run_commands(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except BlockingIOError:
            pass
        while True:
            try:
                fn, result, done = self._commands.get_nowait()
            except queue.Empty:
                return
            try:
                result.append(fn())
            except Exception as error:  # noqa: BLE001 - re-raised in the caller's thread
                result.append(error)
            done.set()

    def _accept(self) -> None:
        try:
            client, _ = self._listener.accept()
        except BlockingIOError:
            return
        self.connections += 1
        if len(self._pipes) >= self.max_connections:
            _abort(client)
            return
        try:
            server = socket.create_connection(self.target, timeout=self.connect_timeout)
        except OSError:
            _abort(client)
            return
        client.setblocking(False)
        server.setblocking(False)
        pipe = _Pipe(client, server, self._cut_after)
        self._pipes.add(pipe)
        self._update(pipe)

    def _service(self, pipe: _Pipe, side: str, events: int) -> None:
        sock = pipe.client if side == "client" else pipe.server
        outgoing = pipe.to_client if side == "client" else pipe.to_server
        try:
            if events & selectors.EVENT_WRITE and outgoing:
                sent = sock.send(outgoing)
                del outgoing[:sent]
                if side == "client":
                    self.bytes_to_client += sent
                else:
                    self.bytes_to_server += sent
            if events & selectors.EVENT_READ:
                data = sock.recv(_CHUNK)
                if not data:
                    if side == "client":
                        pipe.client_eof = True
                    else:
                        pipe.server_eof = True
                elif side == "client":
                    pipe.to_server += data
                else:
                    if pipe.budget is not None:
                        if len(data) >= pipe.budget:
                            data = data[: pipe.budget]
                            pipe.cut_pending = True
                        pipe.budget -= len(data)
                    pipe.to_client += data
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            self._close_pipe(pipe, rst=True)
            return
        self._settle(pipe)

    def _settle(self, pipe: _Pipe) -> None:
        """Pass on EOFs and budget cuts once the buffered bytes are out; re-arm."""
        if pipe.cut_pending and not pipe.to_client:
            # count first: the client may look at the counters the moment it sees the RST
            self.cuts += 1
            if self._cuts_left is not None:
                self._cuts_left -= 1
                if self._cuts_left <= 0:
                    self._cut_after = self._cuts_left = None
                    for other in self._pipes:
                        other.budget = None
            self._close_pipe(pipe, rst=True)
            return
        try:
            if pipe.client_eof and not pipe.to_server and not pipe.server_shut:
                pipe.server.shutdown(socket.SHUT_WR)
                pipe.server_shut = True
            if pipe.server_eof and not pipe.to_client and not pipe.client_shut:
                pipe.client.shutdown(socket.SHUT_WR)
                pipe.client_shut = True
        except OSError:
            self._close_pipe(pipe, rst=True)
            return
        if pipe.client_shut and pipe.server_shut:
            self._close_pipe(pipe, rst=False)
            return
        self._update(pipe)

    def _update(self, pipe: _Pipe) -> None:
        if pipe.closed:
            return
        moving = not self._stalled
        for sock, side, eof, inbox, outbox in (
            (pipe.client, "client", pipe.client_eof, pipe.to_server, pipe.to_client),
            (pipe.server, "server", pipe.server_eof, pipe.to_client, pipe.to_server),
        ):
            events = 0
            if moving and not eof and len(inbox) < self.buffer and not pipe.cut_pending:
                events |= selectors.EVENT_READ
            if moving and outbox:
                events |= selectors.EVENT_WRITE
            self._set_interest(sock, events, (pipe, side))

    def _set_interest(self, sock: socket.socket, events: int, data: Any) -> None:
        current = self._interest.get(sock, 0)
        if events == current:
            return
        if not events:
            self._selector.unregister(sock)
            del self._interest[sock]
        elif not current:
            self._selector.register(sock, events, data)
            self._interest[sock] = events
        else:
            self._selector.modify(sock, events, data)
            self._interest[sock] = events

    def _close_pipe(self, pipe: _Pipe, *, rst: bool) -> None:
        if pipe.closed:
            return
        pipe.closed = True
        self._pipes.discard(pipe)
        for sock in (pipe.client, pipe.server):
            if self._interest.pop(sock, 0):
                self._selector.unregister(sock)
            if rst:
                _abort(sock)
            else:
                sock.close()
