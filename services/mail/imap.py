"""Opening an IMAP connection the safe way: verified TLS, timeouts, folders."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import socket
import ssl
import threading
import time
from pathlib import Path
from typing import Any

import imapclient
from imapclient.exceptions import IMAPClientError, LoginError

from models import MailAccount
from services.core.errors import EnvironmentFault, UntrustedCertificate, UserError

TIMEOUT_S = 30.0
SENT_NAMES = ("Sent", "Sent Items", "Sent Messages", "Sent Mail", "Отправленные", "INBOX.Sent")


CONTEXT_TTL_S = 900.0  # a changed system trust store is seen within this


class _Contexts:
    """TLS contexts by CA file, built once and shared. Loading the system's
    trusted certificates costs ~50 ms (a tenth of a 2,000-letter header
    scan, paid again by every sync and every send); a context is read-only
    once built and safe to use for many connections from several threads.
    The key holds a hash of the CA file's content, so an edited file is read
    again; an entry expires after CONTEXT_TTL_S so that a certificate removed
    from the system store stops being trusted then."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: dict[tuple[str, str], tuple[float, ssl.SSLContext]] = {}

    def get(self, ca_file: str | None) -> ssl.SSLContext:
        try:
            content = Path(ca_file).read_bytes() if ca_file else b""
        except OSError:  # the build below says what is wrong with it
            return _build_context(ca_file)
        key = (ca_file or "", hashlib.sha256(content).hexdigest())
        now = time.monotonic()
        with self._lock:
            found = self._built.get(key)
            if found is not None and now - found[0] < CONTEXT_TTL_S:
                return found[1]
        context = _build_context(ca_file)
        with self._lock:
            self._built = {k: v for k, v in self._built.items() if now - v[0] < CONTEXT_TTL_S}
            self._built[key] = (now, context)
        return context


def _build_context(ca_file: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ca_file:
        try:
            context.load_verify_locations(cafile=ca_file)
        except ssl.SSLError as exc:
            raise EnvironmentFault(
                f"The CA file {ca_file} holds no usable PEM certificate ({exc.reason})",
                code="mail.imap.ca_file_holds_no",
                params={"ca_file": str(ca_file), "reason": str(exc.reason)},
            ) from exc
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise EnvironmentFault(
                f"The CA file {ca_file} cannot be read: {reason}",
                code="mail.imap.ca_file_cannot_read",
                params={"ca_file": str(ca_file), "reason": str(reason)},
            ) from exc
    return context


_CONTEXTS = _Contexts()


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """Certificates and host names verified, always; an extra CA may be trusted."""
    return _CONTEXTS.get(ca_file)


def describe_network_error(exc: BaseException, host: str, port: int) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"The certificate of {host} is not trusted ({exc.verify_message}); not connecting"
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"{host}:{port} did not answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return f"{host}:{port} refused the connection"
    if isinstance(exc, socket.gaierror):
        return f"Cannot find the server {host} (offline or a typo?)"
    return f"Connection to {host}:{port} failed: {exc}"


def network_code(exc: BaseException, host: str, port: int) -> tuple[str, dict[str, str]]:
    """The code and params of ``describe_network_error``'s sentence, for the
    window to say it in the user's language."""
    server = f"{host}:{port}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "mail.certificate_untrusted", {"server": host, "reason": str(exc.verify_message)}
    if isinstance(exc, TimeoutError | socket.timeout):
        return "net.timeout", {"server": server}
    if isinstance(exc, ConnectionRefusedError):
        return "net.refused", {"server": server}
    if isinstance(exc, socket.gaierror):
        return "net.unknown_host", {"server": host}
    return "net.failed", {"server": server, "reason": str(exc)}


def network_error(exc: BaseException, host: str, port: int) -> UserError:
    """An untrusted certificate is a setting to fix, not "offline"."""
    message = describe_network_error(exc, host, port)
    code, params = network_code(exc, host, port)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return UntrustedCertificate(message, params=params)
    return EnvironmentFault(message, code=code, params=params)


# imapclient sends imaplib's own debug output (level 5) to this logger.
PROTOCOL_LOG = logging.getLogger("imapclient.imaplib")


def quiet_protocol_log(client: Any) -> None:
    """imapclient sets imaplib's debug level to 5 and hands its messages to
    PROTOCOL_LOG, so imaplib formats every line read, every pattern it
    matches and the repr of every literal (a whole letter) before the logger
    drops them: 2/3 of a body FETCH's client CPU (~100 -> ~38 us a letter).
    Level 0 (nothing formatted but a short line's repr) unless that logger
    is on, so turning it on still shows the conversation."""
    if not PROTOCOL_LOG.isEnabledFor(logging.DEBUG):
        client._imap.debug = 0


def connect(account: MailAccount, password: str, timeout: float = TIMEOUT_S) -> Any:
    """A logged-in IMAPClient; every failure becomes a clear ``UserError``."""
    host, port = account.imap_host, account.imap_port
    try:
        if account.imap_security == "tls":
            client = imapclient.IMAPClient(
                host, port, ssl=True, ssl_context=tls_context(account.ca_file), timeout=timeout
            )
        else:
            client = imapclient.IMAPClient(host, port, ssl=False, timeout=timeout)
            if account.imap_security == "starttls":
                client.starttls(ssl_context=tls_context(account.ca_file))
    except (OSError, IMAPClientError) as exc:
        raise network_error(exc, host, port) from exc
    quiet_protocol_log(client)
    try:
        client.login(account.imap_user, password)
    except LoginError as exc:
        _close(client)
        raise UserError(
            f"The IMAP server rejected the login of {account.imap_user}",
            code="mail.login_refused",
            params={"login": account.imap_user, "server": host},
        ) from exc
    except (OSError, IMAPClientError) as exc:
        _close(client)
        raise network_error(exc, host, port) from exc
    return client


def _close(client: Any) -> None:
    try:
        client.logout()
    except Exception:  # noqa: BLE001 - closing a broken connection; nothing to report
        with contextlib.suppress(Exception):
            client.shutdown()


close = _close


def sent_folder(client: Any) -> str | None:
    """The Sent folder: by SPECIAL-USE when offered, else by a known name."""
    folders = client.list_folders()
    for flags, _delim, name in folders:
        if b"\\Sent" in flags:
            return str(name)
    names = {str(name).casefold(): str(name) for _f, _d, name in folders}
    for candidate in SENT_NAMES:
        if candidate.casefold() in names:
            return names[candidate.casefold()]
    return None
