"""Real mail servers for tests: Dovecot IMAP, aiosmtpd SMTP, and a proxy to break them.

Registered as a plugin by tests/conftest.py. Session fixtures start one set
of servers per pytest-xdist worker, on free loopback ports.

- ``imap_server``: dict from :func:`tests.servers.dovecot_server` (host, port,
  tls_port, users, ca_file, other_ca_file, cert_file, key_file, conf, root ...).
- ``mailbox``: alice's account emptied for this test; the imap_server dict
  plus ``user`` and ``password``.
- ``smtp_server``: the session's :class:`tests.servers.SmtpRig`; ``smtp`` is
  the same rig with its capture and faults cleared before and after the test.
- ``tcp_proxy``: factory ``tcp_proxy(host, port) -> TcpProxy``, closed after the test.

Helpers for tests: :func:`imap_client`, :func:`append_messages`, :func:`tls_context`.
"""

from __future__ import annotations

import contextlib
import re
import ssl
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from imapclient import IMAPClient

from tests import servers
from tests.tcp_proxy import TcpProxy

ALICE = "alice@example.test"
BOB = "bob@example.test"


@pytest.fixture(scope="session")
def imap_server() -> Iterator[dict[str, Any]]:
    yield from servers.dovecot_server()


@pytest.fixture
def mailbox(imap_server: dict[str, Any]) -> dict[str, Any]:
    """Alice's account, emptied: every folder without messages, no extra folders."""
    servers.reset_mailbox(imap_server, ALICE)
    return {**imap_server, "user": ALICE, "password": imap_server["users"][ALICE]}


@pytest.fixture(scope="session")
def smtp_server(imap_server: dict[str, Any]) -> Iterator[servers.SmtpRig]:
    """SMTP with Dovecot's certificate: clients trust ``imap_server["ca_file"]``."""
    yield from servers.smtp_server(
        imap_server["cert_file"], imap_server["key_file"], ca_file=imap_server["ca_file"]
    )


@pytest.fixture
def smtp(smtp_server: servers.SmtpRig) -> Iterator[servers.SmtpRig]:
    """The session SMTP rig with no messages and no armed faults."""
    smtp_server.reset()
    yield smtp_server
    smtp_server.reset()


@pytest.fixture
def tcp_proxy() -> Iterator[Callable[..., TcpProxy]]:
    """``tcp_proxy(host, port, **options)``: a started proxy to that target."""
    proxies: list[TcpProxy] = []

    def make(host: str, port: int, **options: Any) -> TcpProxy:
        proxy = TcpProxy((host, port), **options).start()
        proxies.append(proxy)
        return proxy

    yield make
    for proxy in proxies:
        proxy.close()


def tls_context(server: dict[str, Any], *, ca_file: str | None = None) -> ssl.SSLContext:
    """A verifying client context (hostname checked) that trusts the rig's CA."""
    return ssl.create_default_context(cafile=ca_file or server["ca_file"])


@contextlib.contextmanager
def imap_client(
    server: dict[str, Any],
    user: str | None = ALICE,
    *,
    tls: str = "implicit",
    host: str | None = None,
    port: int | None = None,
    ca_file: str | None = None,
    timeout: float = 10.0,
) -> Iterator[IMAPClient]:
    """A logged-in IMAPClient (``user=None``: not logged in); closed afterwards.

    TLS: "implicit" (tls_port), "starttls" or "none" (port, the explicit
    plaintext choice). HOST/PORT override the target, e.g. a TcpProxy's.
    """
    if tls not in {"implicit", "starttls", "none"}:
        raise ValueError(f"tls must be implicit, starttls or none, not {tls!r}")
    context = tls_context(server, ca_file=ca_file)
    implicit = tls == "implicit"
    client = IMAPClient(
        host or server["host"],
        port or server["tls_port" if implicit else "port"],
        ssl=implicit,
        ssl_context=context if implicit else None,
        timeout=timeout,
    )
    try:
        if tls == "starttls":
            client.starttls(context)
        if user is not None:
            client.login(user, server["users"][user])
        yield client
    except BaseException:
        # the connection may be broken or hung: do not wait for a LOGOUT
        with contextlib.suppress(OSError):
            client.shutdown()
        raise
    else:
        try:
            client.logout()
        except Exception:  # noqa: BLE001 - best effort; the socket is closed below
            with contextlib.suppress(OSError):
                client.shutdown()


_APPENDUID = re.compile(rb"APPENDUID \d+ ([0-9:,]+)")


def _uid_set(text: bytes) -> list[int]:
    uids: list[int] = []
    for part in text.split(b","):
        first, _, last = part.partition(b":")
        uids.extend(range(int(first), int(last or first) + 1))
    return uids


def append_messages(
    server: dict[str, Any],
    user: str,
    folder: str,
    messages: Iterable[bytes],
    *,
    chunk: int = 100,
    flags: Iterable[bytes | str] = (),
) -> list[int]:
    """Put raw MESSAGES into FOLDER with MULTIAPPEND, CHUNK per command; return their UIDs."""
    items = [{"msg": m, "flags": list(flags)} if flags else m for m in messages]
    uids: list[int] = []
    with imap_client(server, user) as client:
        for start in range(0, len(items), chunk):
            _, data = client.multiappend(folder, items[start : start + chunk])
            found = _APPENDUID.search(b" ".join(d for d in data if isinstance(d, bytes)))
            if found is None:
                raise servers.RigError(f"no APPENDUID in {data!r}")
            uids.extend(_uid_set(found.group(1)))
    return uids
