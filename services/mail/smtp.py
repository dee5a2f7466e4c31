"""SMTP with verified TLS. smtplib verifies nothing unless given a context."""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage
from typing import TYPE_CHECKING

from models import MailAccount
from services.core.errors import EnvironmentFault, UserError
from services.mail.imap import describe_network_error, network_code, tls_context

TIMEOUT_S = 30.0


class TemporaryFailure(EnvironmentFault):
    """Worth retrying later: network down, server busy (4xx)."""


class PermanentFailure(UserError):
    """Retrying will not help (5xx, rejected recipient, bad login)."""


def _network(
    kind: type[TemporaryFailure | PermanentFailure], exc: BaseException, host: str, port: int
) -> UserError:
    code, params = network_code(exc, host, port)
    return kind(describe_network_error(exc, host, port), code=code, params=params)


if TYPE_CHECKING:
    from typing_extensions import Buffer

_QUEUE_ID = re.compile(r"(?:queued as|\bid=)\s*<?([^\s;,<>]+)", re.IGNORECASE)


def queue_id(reply: str) -> str:
    """The server's id of an accepted letter: Postfix's "queued as X", Exim's
    "id=X"; else the reply text itself, which is what other servers put there."""
    found = _QUEUE_ID.search(reply)
    return (found.group(1) if found else reply.strip())[:200]


class _Smtp(smtplib.SMTP):
    """smtplib's client with a hook just before DATA and the 250 reply kept."""

    before_data: Callable[[], None] | None = None
    reply = ""

    def data(self, msg: Buffer | str) -> tuple[int, bytes]:  # smtplib's own signature
        if self.before_data is not None:
            self.before_data()
        code, text = super().data(msg)
        self.reply = text.decode("utf-8", "replace")
        return code, text


class _SmtpTls(_Smtp, smtplib.SMTP_SSL):
    pass


def check(account: MailAccount, password: str, timeout: float = TIMEOUT_S) -> None:
    """EHLO, STARTTLS, AUTH and QUIT: what adding an account tries first."""
    _session(account, password, None, timeout, None, None)


def send(
    account: MailAccount,
    password: str,
    message: EmailMessage,
    timeout: float = TIMEOUT_S,
    on_accepted: Callable[[str], None] | None = None,
    before_data: Callable[[], None] | None = None,
) -> None:
    """Send one letter. ``before_data`` runs after the recipients are
    accepted and before DATA: until then nothing can have been delivered.
    ``on_accepted`` gets the server's queue id the moment the server has
    taken the letter, before QUIT, so the caller records that as early as it
    can: a crash between the server's 250 and that record is the one window
    in which a letter could go twice (plain SMTP has no way to ask "did you
    get it?")."""
    _session(account, password, message, timeout, on_accepted, before_data)


def _session(
    account: MailAccount,
    password: str,
    message: EmailMessage | None,
    timeout: float,
    on_accepted: Callable[[str], None] | None,
    before_data: Callable[[], None] | None,
) -> None:
    host, port = account.smtp_host, account.smtp_port
    try:
        context = tls_context(account.ca_file)
    except (OSError, ssl.SSLError) as exc:  # deleted or not a certificate
        raise PermanentFailure(
            f"The CA file {account.ca_file} cannot be used: {exc}",
            code="mail.smtp.ca_file_cannot_used",
            params={"ca_file": str(account.ca_file), "exc": str(exc)},
        ) from exc
    try:
        if account.smtp_security == "tls":
            server: _Smtp = _SmtpTls(host, port, timeout=timeout, context=context)
        else:
            server = _Smtp(host, port, timeout=timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise _network(TemporaryFailure, exc, host, port) from exc
    server.before_data = before_data
    try:
        server.ehlo()
        if account.smtp_security == "starttls":
            if not server.has_extn("starttls"):
                raise PermanentFailure(
                    f"{host} does not offer STARTTLS; not sending in the clear",
                    code="mail.smtp.does_not_offer_starttls",
                    params={"host": str(host)},
                )
            server.starttls(context=context)
            server.ehlo()
        server.login(account.smtp_user, password)
        if message is None:
            return
        refused = server.send_message(message)
        if refused:
            raise PermanentFailure(
                f"Recipients refused: {', '.join(sorted(refused))}",
                code="mail.smtp.recipients_refused",
                params={"refused": str(", ".join(sorted(refused)))},
            )
        if on_accepted is not None:
            on_accepted(queue_id(server.reply))
    except smtplib.SMTPAuthenticationError as exc:
        raise PermanentFailure(
            f"The SMTP server rejected the login of {account.smtp_user}",
            code="mail.smtp.smtp_server_rejected_login",
            params={"smtp_user": str(account.smtp_user)},
        ) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentFailure(
            f"Recipients refused: {', '.join(sorted(exc.recipients))}",
            code="mail.smtp.recipients_refused",
            params={"refused": str(", ".join(sorted(exc.recipients)))},
        ) from exc
    except smtplib.SMTPResponseException as exc:
        text = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        if 400 <= exc.smtp_code < 500:
            raise TemporaryFailure(
                f"{host} said {exc.smtp_code} {text}",
                code="mail.smtp.said",
                params={"host": str(host), "smtp_code": str(exc.smtp_code), "text": str(text)},
            ) from exc
        raise PermanentFailure(
            f"{host} said {exc.smtp_code} {text}",
            code="mail.smtp.said",
            params={"host": str(host), "smtp_code": str(exc.smtp_code), "text": str(text)},
        ) from exc
    except ssl.SSLError as exc:
        raise _network(PermanentFailure, exc, host, port) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise _network(TemporaryFailure, exc, host, port) from exc
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()
