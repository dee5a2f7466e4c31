"""Real servers for the test session, each on a free loopback port."""

from __future__ import annotations

import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator

RIGS = pathlib.Path(__file__).resolve().parent / "rigs"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_dir(prefix: str) -> pathlib.Path:
    """Not pytest's tmp_path: /tmp/pytest-of-root is mode 0700, which the
    postgres OS user cannot enter when the tests run as root."""
    folder = tempfile.mkdtemp(prefix=prefix, dir="/tmp")
    os.chmod(folder, 0o755)
    return pathlib.Path(folder)


def postgres_server() -> Iterator[str]:
    """Start a cluster; yield the admin URL of its ``postgres`` database."""
    root = server_dir("tp-pg-")
    port = free_port()
    env = dict(os.environ, PG_ROOT=str(root), PG_PORT=str(port))
    try:
        subprocess.run(["bash", str(RIGS / "pg.sh"), "start"], env=env, check=True)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(["bash", str(RIGS / "pg.sh"), "stop"], env=env, check=False)
        shutil.rmtree(root, ignore_errors=True)
