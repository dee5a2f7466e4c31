"""Real servers for the test session, each on a free loopback port."""

from __future__ import annotations

import asyncio
import os
import pathlib
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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


# --- mail -----------------------------------------------------------------

MAIL_USERS = {"alice@example.test": "secret", "bob@example.test": "secret2"}
"""The accounts tests/rigs/dovecot.sh creates; the SMTP rig accepts the same."""

IMAP_STANDARD_FOLDERS = frozenset({"INBOX", "Sent", "Drafts", "Trash", "INBOX/Projects"})
"""Folders the Dovecot rig creates for every user (Dovecot re-creates them on use)."""


class RigError(RuntimeError):
    """A test server did not start or did not do what it was told."""


def _run_rig(script: str, action: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(RIGS / script), action],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def dovecot_server() -> Iterator[dict[str, Any]]:
    """Start a private Dovecot on 127.0.0.1; yield its coordinates.

    Keys: host, port (IMAP with STARTTLS; plaintext login allowed), tls_port
    (implicit TLS), users {login: password}, ca_file (the CA to trust),
    other_ca_file (a CA the server's certificate is NOT from), cert_file and
    key_file (server pair for 127.0.0.1/localhost, reusable by other rigs),
    other_cert_file / other_key_file (a pair from the untrusted CA), conf
    (its dovecot.conf, for doveadm -c), root (its folder).
    """
    root = server_dir("tp-dovecot-")
    env: dict[str, str] = {}
    try:
        for attempt in range(3):  # a free port can be taken before dovecot binds it
            env = dict(
                os.environ,
                DC_ROOT=str(root),
                DC_PORT=str(free_port()),
                DC_TLS_PORT=str(free_port()),
            )
            done = _run_rig("dovecot.sh", "start", env)
            if done.returncode == 0:
                break
            if "in use" not in done.stderr or attempt == 2:
                raise RigError(f"dovecot did not start:\n{done.stdout}{done.stderr}")
        yield {
            "host": "127.0.0.1",
            "port": int(env["DC_PORT"]),
            "tls_port": int(env["DC_TLS_PORT"]),
            "users": dict(MAIL_USERS),
            "ca_file": str(root / "ca.pem"),
            "other_ca_file": str(root / "other-ca.pem"),
            "cert_file": str(root / "cert.pem"),
            "key_file": str(root / "key.pem"),
            "other_cert_file": str(root / "other-cert.pem"),
            "other_key_file": str(root / "other-key.pem"),
            "conf": str(root / "dovecot.conf"),
            "root": str(root),
        }
    finally:
        if env:
            _run_rig("dovecot.sh", "stop", env)
        shutil.rmtree(root, ignore_errors=True)


def doveadm(server: dict[str, Any], *args: str) -> str:
    """Run ``doveadm -c <the rig's config> ARGS``; return its output."""
    done = subprocess.run(
        ["doveadm", "-c", server["conf"], *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if done.returncode != 0:
        raise RigError(f"doveadm {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def reset_mailbox(server: dict[str, Any], user: str) -> None:
    """Empty USER's account: expunge every message, delete folders a test made.

    UIDVALIDITY stays and UIDs keep growing, as on a real server; the
    standard folders stay (Dovecot re-creates them on use anyway).
    """
    extra = [
        name
        for name in doveadm(server, "mailbox", "list", "-u", user).splitlines()
        if name and name not in IMAP_STANDARD_FOLDERS
    ]
    # children first, so no parent is deleted while it still has one
    for name in sorted(extra, key=lambda n: n.count("/"), reverse=True):
        doveadm(server, "mailbox", "delete", "-s", "-u", user, name)
    doveadm(server, "expunge", "-u", user, "mailbox", "*", "all")


def set_uidvalidity(server: dict[str, Any], user: str, folder: str, value: int) -> None:
    """Change a folder's UIDVALIDITY, as a server does after losing its index."""
    doveadm(server, "mailbox", "update", "-u", user, "--uid-validity", str(value), folder)


@dataclass(frozen=True)
class ReceivedMail:
    """One message the SMTP rig accepted (or took, then dropped the line)."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    login: str | None
    port: int
    dropped: bool = False
    queue_id: str = ""  # named in the 250 reply, as Postfix does ("queued as …")


class SmtpRig:
    """aiosmtpd on two loopback ports sharing one capture.

    ``port``: STARTTLS required before anything but EHLO/NOOP/QUIT, AUTH
    (PLAIN, LOGIN) offered only after it and required before MAIL.
    ``tls_port``: implicit TLS (SMTPS), AUTH required.
    Faults, for the retry and at-least-once tests: ``fail_next(n)`` answers
    the next N messages' final "." with a 451; ``drop_next(n)`` takes the next
    N messages and drops the connection without answering.
    """

    host = "127.0.0.1"

    def __init__(self, users: dict[str, str], ca_file: str | None) -> None:
        self.users = dict(users)
        self.ca_file = ca_file
        self.port = 0
        self.tls_port = 0
        self._cond = threading.Condition()
        self._messages: list[ReceivedMail] = []
        self._fail = 0
        self._fail_reply = ""
        self._drop = 0

    @property
    def messages(self) -> list[ReceivedMail]:
        """A snapshot of what arrived so far, oldest first."""
        with self._cond:
            return list(self._messages)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedMail]:
        """Wait until COUNT messages have arrived; return them (RigError if not)."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._messages) >= count, timeout):
                raise RigError(f"{len(self._messages)} of {count} messages after {timeout}s")
            return list(self._messages)

    def fail_next(self, n: int = 1, reply: str = "451 4.3.0 Temporary failure (test rig)") -> None:
        """Answer the final "." of the next N messages with REPLY; keep nothing."""
        with self._cond:
            self._fail, self._fail_reply = n, reply

    def drop_next(self, n: int = 1) -> None:
        """Keep the next N messages but close the line instead of answering."""
        with self._cond:
            self._drop = n

    def reset(self) -> None:
        """Forget the messages and the armed faults."""
        with self._cond:
            self._messages.clear()
            self._fail = self._drop = 0

    # aiosmtpd handler and authenticator (run on the controllers' threads)

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode("utf-8", "replace")
            password = auth_data.password.decode("utf-8", "replace")
            if login in self.users and self.users[login] == password:
                return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self._cond:
            if self._fail > 0:
                self._fail -= 1
                return self._fail_reply
            drop = self._drop > 0
            if drop:
                self._drop -= 1
            login = session.auth_data.login.decode() if session.auth_data else None
            queue_id = f"{0x3F00 + len(self._messages):X}{secrets.token_hex(3).upper()}"
            self._messages.append(
                ReceivedMail(
                    mail_from=envelope.mail_from,
                    rcpt_tos=tuple(envelope.rcpt_tos),
                    data=bytes(envelope.original_content),
                    login=login,
                    port=server.transport.get_extra_info("sockname")[1],
                    dropped=drop,
                    queue_id=queue_id,
                )
            )
            self._cond.notify_all()
        if drop:
            # The message is taken; the client never hears "250". Losing the
            # connection cancels this handler, so no reply is ever written.
            server.transport.abort()
            await asyncio.sleep(3600)
        return f"250 2.0.0 Ok: queued as {queue_id}"


def smtp_server(
    cert: str,
    key: str,
    *,
    users: dict[str, str] | None = None,
    ca_file: str | None = None,
) -> Iterator[SmtpRig]:
    """Start the SMTP rig with the server pair CERT/KEY; yield it.

    CA_FILE (the CA that signed CERT) is only passed through for the tests.
    """
    from aiosmtpd.controller import Controller

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    rig = SmtpRig(users if users is not None else MAIL_USERS, ca_file)

    class _SmtpsController(Controller):
        def factory(self) -> Any:
            smtp = super().factory()  # type: ignore[no-untyped-call]
            # The listening socket itself is TLS, which aiosmtpd does not see
            # (it only knows STARTTLS); setting auth_require_tls=False instead
            # would warn, and warnings are errors in this suite.
            smtp._auth_require_tls = False
            return smtp

    def start(cls: type, **kw: Any) -> Any:
        for attempt in range(3):  # aiosmtpd cannot bind port 0
            ctl = cls(
                rig,
                hostname="127.0.0.1",
                port=free_port(),
                server_hostname="smtp.example.test",
                authenticator=rig.authenticate,
                auth_required=True,
                auth_require_tls=True,
                ready_timeout=10,
                **kw,
            )
            try:
                ctl.start()
                return ctl
            except OSError:
                ctl.loop.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    controllers = []
    try:
        plain = start(Controller, tls_context=context, require_starttls=True)
        controllers.append(plain)
        smtps = start(_SmtpsController, ssl_context=context)
        controllers.append(smtps)
        rig.port, rig.tls_port = plain.port, smtps.port
        yield rig
    finally:
        for ctl in controllers:
            ctl.stop()
