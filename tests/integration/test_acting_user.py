"""Who acts: --user on the embedded file, the database login on PostgreSQL (#15 item 6)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from desktop.cli import main
from models import Role, User
from services.core.storage import Database, open_database
from tests.integration.helpers import acting_as


def _add_user(url: str, login: str, role: str) -> None:
    db = open_database(url)
    try:
        with db.uow() as uow:
            role_id = uow.session.scalar(select(Role.id).where(Role.name == role))
            uow.session.add(User(login=login, full_name=f"Пользователь {login}", role_id=role_id))
            uow.commit()
    finally:
        db.dispose()


@pytest.fixture
def pg_url(pg_admin_url: str, pg_template: str) -> str:
    from tests.conftest import _fresh_pg

    url = _fresh_pg(pg_admin_url, pg_template)
    acting_as(url, "ivanov")  # a login role of its own for the manager
    _add_user(url, "ivanov", "Manager")
    return url


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.postgres
def test_postgres_refuses_user_naming_another_login(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The admin URL connects as 'postgres'; asking to be 'ivanov' is refused.
    code, out, err = _run(
        capsys, "--db", pg_url, "--user", "ivanov", "clients", "add", "ООО Ромашка"
    )
    assert code == 2
    assert out == ""
    assert "database login decides" in err
    assert "'postgres'" in err
    # Nothing was created under the borrowed name.
    code, out, _ = _run(capsys, "--db", pg_url, "clients", "list", "--json")
    assert code == 0
    assert json.loads(out) == []


@pytest.mark.postgres
def test_postgres_refuses_touchpoint_user_naming_another_login(
    pg_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOUCHPOINT_USER", "ivanov")
    code, _, err = _run(capsys, "--db", pg_url, "clients", "list")
    assert code == 2
    assert "database login decides" in err


@pytest.mark.postgres
def test_postgres_acts_as_the_database_login(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ivanov_url = acting_as(pg_url, "ivanov")[1]
    code, out, err = _run(capsys, "--db", ivanov_url, "clients", "add", "ООО Ландыш", "--json")
    assert code == 0, err
    assert json.loads(out)["owner_name"] == "Пользователь ivanov"
    # Naming yourself is fine; the settings stay out of a manager's reach.
    code, _, err = _run(capsys, "--db", ivanov_url, "--user", "ivanov", "settings", "x", "y")
    assert code == 2
    assert "the role does not allow changing settings, users and roles" in err


def test_embedded_database_takes_user(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file's owner owns its data anyway: --user picks whom to act as."""
    url = sqlite_db.url
    _add_user(url, "ivanov", "Manager")
    code, out, err = _run(
        capsys, "--db", url, "--user", "ivanov", "clients", "add", "Ромашка", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["owner_name"] == "Пользователь ivanov"
