"""Connecting a desktop to a team's PostgreSQL server as the user's own login.

The password lives in the OS keyring (never in the URL that is saved), and
TLS with certificate verification is the default for any server that is not
this computer: a URL naming a remote host without ``sslmode`` gets
``verify-full`` against the system's CAs (or the CA file given).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import logging

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from services.core.errors import EnvironmentFault, UserError, ValidationError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "Touchpoint database"
LOCAL_HOSTS = {"", "localhost"}
CONNECT_TIMEOUT_S = 10
MAX_FIELD = 255
FIELD_WORDS = {"host": "server", "database": "database name", "login": "login"}
FIELD_CODES = {
    "host": "core.server.host_needed",
    "database": "core.server.database_needed",
    "login": "core.server.login_needed",
}


def keyring_user(url: URL) -> str:
    """The keyring entry of a login on a server: ``login@host:port/database``."""
    return f"{url.username}@{url.host or ''}:{url.port or 5432}/{url.database or ''}"


def is_local(host: str | None) -> bool:
    if host is None or host in LOCAL_HOSTS or host.startswith("/"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def with_tls_default(url: URL) -> URL:
    """``verify-full`` for a server elsewhere unless the URL says otherwise."""
    if "sslmode" in url.query or is_local(url.host):
        return url
    query = {"sslmode": "verify-full"}
    if "sslrootcert" not in url.query:
        query["sslrootcert"] = "system"  # libpq 16+: the operating system's CAs
    return url.update_query_dict(query)


def with_keyring_password(url: URL) -> URL:
    """The login's password from the keyring when the URL has none; no
    keyring (a headless machine) or no entry leaves the URL as it is and the
    server says whether it wants a password."""
    if url.username is None or url.password is not None:
        return url
    from services.core import keyring_store

    try:
        secret = keyring_store.get(KEYRING_SERVICE, keyring_user(url), "the database password")
    except EnvironmentFault as exc:
        log.info("no keyring for the database password: %s", exc)
        return url
    return url.set(password=secret) if secret else url


def save_password(url: str, password: str) -> None:
    """Keep ``password`` for the URL's login in the keyring (refused with no keyring)."""
    from services.core import keyring_store

    keyring_store.put(
        KEYRING_SERVICE, keyring_user(make_url(url)), password, "the database password"
    )


def team_url(
    host: str, port: int, database: str, login: str, *, tls: bool = True, ca_file: str = ""
) -> str:
    """The URL a desktop saves (no password in it)."""
    fields = {"host": host.strip(), "database": database.strip(), "login": login.strip()}
    for name, value in fields.items():
        if not value or len(value) > MAX_FIELD or any(ch in value for ch in "/?#@ \t\n"):
            raise ValidationError(
                f"A {FIELD_WORDS[name]} is needed (no spaces, '/', '?', '#' or '@')",
                name,
                code=FIELD_CODES[name],
            )
    if not 1 <= port <= 65535:
        raise ValidationError(
            "The port is a number from 1 to 65535", "port", code="core.server.bad_port"
        )
    query: dict[str, str] = {}
    if tls:
        query["sslmode"] = "verify-full"
        query["sslrootcert"] = ca_file.strip() or "system"
    elif not is_local(fields["host"]):
        query["sslmode"] = "disable"
    url = URL.create(
        "postgresql+psycopg",
        username=fields["login"],
        host=fields["host"],
        port=port,
        database=fields["database"],
        query=query,
    )
    return url.render_as_string(hide_password=False)


@dataclasses.dataclass(frozen=True)
class ServerAddress:
    """A saved team URL as the fields of Settings → Database."""

    host: str
    port: int
    database: str
    login: str
    tls: bool
    ca_file: str  # "" for the system's CAs


def address_of(url: str) -> ServerAddress | None:
    """The fields of a PostgreSQL URL; None for anything else."""
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - a damaged saved value is as good as none
        return None
    if parsed.get_backend_name() != "postgresql":
        return None
    root = str(parsed.query.get("sslrootcert", "system"))
    return ServerAddress(
        host=parsed.host or "",
        port=parsed.port or 5432,
        database=parsed.database or "",
        login=parsed.username or "",
        tls=parsed.query.get("sslmode") == "verify-full",
        ca_file="" if root == "system" else root,
    )


@dataclasses.dataclass(frozen=True)
class ServerInfo:
    """What "Test connection" tells: who the server says we are, and how."""

    server_version: str
    login: str
    tls: bool
    tls_version: str | None
    team: bool  # the schema has row-level security (``touchpoint admin init``)


def probe(url: str, password: str | None = None) -> ServerInfo:
    """Connect once as the URL's login (``password`` or the keyring's) and
    report; a refusal is a UserError that says why."""
    parsed = with_tls_default(make_url(url))
    if parsed.get_backend_name() != "postgresql":
        raise UserError(
            "A team database is a PostgreSQL server (postgresql://login@host/db)",
            code="core.server.not_postgres",
        )
    parsed = parsed.set(password=password) if password else with_keyring_password(parsed)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(parsed, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
    try:
        with engine.connect() as conn:
            version = str(conn.execute(text("SHOW server_version")).scalar_one())
            login = str(conn.execute(text("SELECT session_user")).scalar_one())
            ssl = conn.execute(
                text("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ).first()
            team = conn.execute(text("SELECT to_regprocedure('tp_me()') IS NOT NULL")).scalar()
    except DBAPIError as exc:
        raise refusal(exc) from None
    finally:
        engine.dispose()
    return ServerInfo(
        server_version=version,
        login=login,
        tls=bool(ssl and ssl.ssl),
        tls_version=ssl.version if ssl and ssl.ssl else None,
        team=bool(team),
    )


def refusal(exc: DBAPIError) -> UserError:
    """A failed connection in the user's words: a refused login, a certificate
    that did not verify, or an unreachable server (never the driver's text alone)."""
    reason = " ".join(str(exc.orig).split())[:300]
    lowered = reason.lower()
    login_gone = "role " in lowered and "does not exist" in lowered
    if (
        login_gone
        or "password authentication failed" in lowered
        or "no password supplied" in lowered
    ):
        return UserError(
            f"The server refused the login or password: {reason}",
            code="core.server.login_refused",
            params={"reason": reason},
        )
    if "certificate" in lowered or "ssl" in lowered:
        return UserError(
            f"The server's certificate could not be verified: {reason}; give the company's CA file",
            code="core.server.certificate",
            params={"reason": reason},
        )
    return EnvironmentFault(
        f"Cannot reach the database server: {reason}",
        code="core.server.unreachable",
        params={"reason": reason},
    )
