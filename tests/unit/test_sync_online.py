"""The replica's online check: a bounded connect, "offline" for anything
that does not answer, an error only for an address that names no server."""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path

import pytest

from services.core.errors import ValidationError
from services.sync import online


def test_a_listening_server_is_online() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        assert online.reachable(f"postgresql+psycopg://irina@127.0.0.1:{port}/crm", 2)


def test_a_closed_port_is_offline_not_an_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, never listening: refused
        assert not online.reachable(f"postgresql://irina@127.0.0.1:{port}/crm", 2)


def test_an_unknown_host_is_offline() -> None:
    assert not online.reachable("postgresql://irina@no-such-host.invalid/crm", 2)


def test_a_server_on_a_unix_socket() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ".s.PGSQL.5499"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
            listener.bind(str(path))
            listener.listen(1)
            url = f"postgresql://ирина@/crm?host={folder}&port=5499"
            assert online.address(url) == (folder, 5499)
            assert online.reachable(url, 2)
        path.unlink()
        assert not online.reachable(url, 2)


@pytest.mark.parametrize("url", ["", "not a url", "sqlite:///replica.sqlite3"])
def test_an_address_without_a_server_is_refused(url: str) -> None:
    with pytest.raises(ValidationError) as caught:
        online.address(url)
    assert caught.value.code == "sync.bad_server_url"
