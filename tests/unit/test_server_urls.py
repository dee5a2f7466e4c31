"""Team server URLs: TLS verified by default for a server elsewhere, the
password from the keyring, never in the saved URL (#19 item 2)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from services.core import server
from services.core.errors import ValidationError


def test_a_remote_server_gets_verified_tls_unless_the_url_says_otherwise() -> None:
    remote = server.with_tls_default(make_url("postgresql+psycopg://anna@crm.example.ru/crm"))
    assert remote.query == {"sslmode": "verify-full", "sslrootcert": "system"}
    said = server.with_tls_default(make_url("postgresql://anna@crm.example.ru/crm?sslmode=require"))
    assert said.query == {"sslmode": "require"}
    for local in ("127.0.0.1", "localhost", "::1", "/var/run/postgresql"):
        url = make_url("postgresql://anna@h/crm").set(host=local)
        assert "sslmode" not in server.with_tls_default(url).query


def test_the_saved_url_has_no_password_and_round_trips_to_the_fields() -> None:
    url = server.team_url("crm.example.ru", 6432, "crm", "anna.smirnova", ca_file="/etc/ca.pem")
    assert ":@" not in url
    assert "password" not in url
    address = server.address_of(url)
    assert address == server.ServerAddress(
        "crm.example.ru", 6432, "crm", "anna.smirnova", True, "/etc/ca.pem"
    )
    plain = server.team_url("10.0.0.5", 5432, "crm", "anna", tls=False)
    assert make_url(plain).query == {"sslmode": "disable"}
    assert server.address_of("sqlite:///x.sqlite3") is None
    assert server.address_of("::not a url") is None


@pytest.mark.parametrize(
    ("host", "port", "database", "login"),
    [
        ("", 5432, "crm", "anna"),
        ("h", 0, "crm", "anna"),
        ("h", 5432, "c/rm", "anna"),
        ("h", 5432, "crm", "an na"),
        ("h", 5432, "crm", "a@b"),
    ],
)
def test_bad_fields_are_refused(host: str, port: int, database: str, login: str) -> None:
    with pytest.raises(ValidationError):
        server.team_url(host, port, database, login)


def test_the_password_comes_from_the_keyring_for_that_login_and_server() -> None:
    url = make_url("postgresql+psycopg://вера@crm.example.ru:5432/crm")
    assert server.with_keyring_password(url).password is None
    server.save_password(url.render_as_string(hide_password=False), "Ёлки-палки 1")
    assert server.with_keyring_password(url).password == "Ёлки-палки 1"
    other = url.set(database="crm2")
    assert server.with_keyring_password(other).password is None
    given = url.set(password="typed")
    assert server.with_keyring_password(given).password == "typed"
