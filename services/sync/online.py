"""Is the team server reachable? A replica asks before every sync.

Offline is the laptop's normal state in the field, so the question must be
cheap and must not hang: one TCP connect (or a Unix socket for a server on
this computer) to the server's address with a short timeout, no login, no
TLS handshake, no query. A refused, unroutable or unresolvable address is
simply "offline"; only a URL that names no server at all is an error.
"""

from __future__ import annotations

import socket
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from services.core.errors import ValidationError

PROBE_TIMEOUT_S = 3.0
DEFAULT_PORT = 5432


def address(server_url: str) -> tuple[str, int]:
    """The ``(host, port)`` to knock on; a host starting with "/" is the
    folder of PostgreSQL's Unix socket (``.s.PGSQL.<port>`` inside it)."""
    try:
        url = make_url(server_url)
    except ArgumentError:
        url = None
    host = (url.host or str(url.query.get("host") or "")) if url is not None else ""
    if url is None or not host:
        raise ValidationError(
            "The server's address names no host", "server_url", code="sync.bad_server_url"
        )
    port = url.port or str(url.query.get("port") or "") or DEFAULT_PORT
    try:
        return host, int(port)
    except ValueError:
        raise ValidationError(
            "The server's address names no host", "server_url", code="sync.bad_server_url"
        ) from None


def reachable(server_url: str, timeout_s: float = PROBE_TIMEOUT_S) -> bool:
    """True when something accepts a connection at the server's address
    within ``timeout_s``. Blocking: never call it on the GUI thread."""
    host, port = address(server_url)
    try:
        if host.startswith("/"):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(timeout_s)
                sock.connect(str(Path(host) / f".s.PGSQL.{port}"))
            return True
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:  # refused, timed out, no route, no such name
        return False
