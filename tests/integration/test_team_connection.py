"""A desktop connects to the team server as its own login, with the
password from the keyring (#19 item 2), against the real PostgreSQL: the
test cluster checks passwords for logins named ``pw_*``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from services.core import bootstrap, server, team
from services.core.errors import UserError
from services.core.storage import open_database

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def password_logins(pg_admin_url: str) -> Iterator[None]:
    """The login pw_vera must give its password (the rest stay on trust)."""
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        hba = str(conn.execute(text("SHOW hba_file")).scalar_one())
        with open(hba, encoding="utf-8") as f:
            original = f.read()
        rule = "host all pw_vera 127.0.0.1/32 scram-sha-256\n"
        with open(hba, "w", encoding="utf-8") as f:
            f.write(rule + original)
        conn.execute(text("SELECT pg_reload_conf()"))
    yield
    with admin.connect() as conn:
        with open(hba, "w", encoding="utf-8") as f:
            f.write(original)
        conn.execute(text("SELECT pg_reload_conf()"))
    admin.dispose()


def test_a_login_connects_with_the_keyring_password_and_nothing_else(
    pg_admin_url: str, pg_template: str, password_logins: None
) -> None:
    from tests.conftest import _fresh_pg

    owner_url = _fresh_pg(pg_admin_url, pg_template)
    db = open_database(owner_url, upgrade=False)
    team.init(db)
    with db.reader() as uow:
        owner = bootstrap.actor_for(uow, "postgres")
    team.add_user(
        db, owner, "pw_vera", "manager", full_name="Вера Кузнецова", password="Ёлки-палки 1"
    )
    db.dispose()
    url = make_url(owner_url).set(username="pw_vera").render_as_string(False)

    with pytest.raises(UserError, match="refused the login or password"):
        server.probe(url)
    with pytest.raises(UserError, match="refused the login or password"):
        server.probe(url, "не тот")
    info = server.probe(url, "Ёлки-палки 1")
    assert info.login == "pw_vera"
    assert info.team
    assert not info.tls  # the test server has no certificate; loopback needs none
    assert info.server_version.split(".")[0].isdigit()

    server.save_password(url, "Ёлки-палки 1")
    assert server.probe(url).login == "pw_vera"  # the keyring's password
    vera_db = open_database(url)  # what the app and the CLI open
    try:
        with vera_db.reader() as uow:
            assert bootstrap.session_actor(uow).full_name == "Вера Кузнецова"
    finally:
        vera_db.dispose()
    assert make_url(url).password is None


def test_an_unreachable_server_is_a_message() -> None:
    with pytest.raises(UserError, match="Cannot reach the database server"):
        server.probe("postgresql://anna@127.0.0.1:1/crm")
    with pytest.raises(UserError, match="PostgreSQL server"):
        server.probe("sqlite:///x.sqlite3")


@pytest.fixture(scope="module")
def tls_cluster(pg_admin_url: str, imap_server: dict[str, object]) -> Iterator[None]:
    """The session's PostgreSQL with TLS on, using the mail rig's certificate
    for 127.0.0.1 (issued by its CA); plain connections keep working."""
    import shutil
    import subprocess

    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        data = str(conn.execute(text("SHOW data_directory")).scalar_one())
        for name, source in (("tp-cert.pem", "cert_file"), ("tp-key.pem", "key_file")):
            target = f"{data}/{name}"
            shutil.copy(str(imap_server[source]), target)
            subprocess.run(["chown", "postgres:postgres", target], check=False)
            subprocess.run(["chmod", "600", target], check=True)
        conn.execute(text("ALTER SYSTEM SET ssl_cert_file = 'tp-cert.pem'"))
        conn.execute(text("ALTER SYSTEM SET ssl_key_file = 'tp-key.pem'"))
        conn.execute(text("ALTER SYSTEM SET ssl = on"))
        conn.execute(text("SELECT pg_reload_conf()"))
    yield
    with admin.connect() as conn:
        conn.execute(text("ALTER SYSTEM RESET ssl"))
        conn.execute(text("SELECT pg_reload_conf()"))
    admin.dispose()


def test_tls_is_verified_against_the_given_ca(
    pg_admin_url: str, tls_cluster: None, imap_server: dict[str, object]
) -> None:
    rig = make_url(pg_admin_url)
    url = server.team_url(
        "127.0.0.1",
        int(rig.port or 5432),
        str(rig.database),
        "postgres",
        tls=True,
        ca_file=str(imap_server["ca_file"]),
    )
    info = server.probe(url)
    assert info.tls
    assert (info.tls_version or "").startswith("TLS")
    stranger = server.team_url(
        "127.0.0.1",
        int(rig.port or 5432),
        str(rig.database),
        "postgres",
        tls=True,
        ca_file=str(imap_server["other_ca_file"]),
    )
    with pytest.raises(UserError, match="certificate could not be verified"):
        server.probe(stranger)
