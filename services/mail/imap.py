"""Opening an IMAP connection the safe way: verified TLS, timeouts, folders."""

from __future__ import annotations

import contextlib
import socket
import ssl
from typing import Any

import imapclient
from imapclient.exceptions import IMAPClientError, LoginError

from models import MailAccount
from services.core.errors import EnvironmentFault, UntrustedCertificate, UserError

TIMEOUT_S = 30.0
SENT_NAMES = ("Sent", "Sent Items", "Sent Messages", "Sent Mail", "Отправленные", "INBOX.Sent")


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """Certificates and host names verified, always; an extra CA may be trusted."""
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
