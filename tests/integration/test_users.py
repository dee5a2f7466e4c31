"""The colleagues query behind every person picker, on both databases."""

from __future__ import annotations

import json
from typing import Any

import pytest

from desktop.cli import main
from services.core.storage import Database
from services.core.users import users
from tests.conftest import Team
from tests.integration.helpers import acting_as


def test_colleagues_are_the_active_users_with_their_role(db: Database, team: Team) -> None:
    with db.reader() as uow:
        found = users(uow, team.anna)
    by_login = {u.login: u for u in found}
    assert set(by_login) == {team.admin.login, "anna", "boris"}
    assert by_login["anna"].full_name == "Анна Смирнова"
    assert by_login["boris"].role == "Manager"
    assert by_login[team.admin.login].role == "Administrator"
    assert "settings" in by_login[team.admin.login].permissions


def test_the_cli_lists_colleagues_and_shows_the_card_the_desktop_shows(
    db_url: str, db: Database, team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    boris = acting_as(db_url, "boris")

    def run(*args: str) -> Any:
        capsys.readouterr()
        assert main([*boris, *args, "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    listed = run("users")
    assert {u["full_name"] for u in listed} >= {"Анна Смирнова", "Борис Петров"}
    assert {u["role"] for u in listed if u["login"] == "boris"} == {"Manager"}
    client = run("clients", "add", "ООО «Ромашка»", "--email", "info@romashka.ru")
    card = run("card", "client", str(client["id"]))
    assert card["title"] == "ООО «Ромашка»"
    assert card["owner_name"] == "Борис Петров"
    assert [p["raw"] for p in card["points"]] == ["info@romashka.ru"]
    assert card["deals"] == []
    assert {u["login"] for u in card["users"]} == {team.admin.login, "anna", "boris"}


def test_the_last_active_administrator_stays_one(db: Database, team: Team) -> None:
    """Neither deactivated nor made a manager while no other administrator
    is active; once a colleague is one, the change is allowed."""
    from services.core import users as accounts
    from services.core.errors import ValidationError

    me = team.admin.login
    message = f"{me} is the last active administrator: make another one first"
    with pytest.raises(ValidationError, match=message) as refused:
        accounts.set_active(db, team.admin, me, False)
    assert refused.value.code == "core.users.last_active_administrator_make"
    with pytest.raises(ValidationError, match=message):
        accounts.set_role(db, team.admin, me, "Manager")
    with db.reader() as uow:
        assert {(u.login, u.role) for u in users(uow, team.admin)} >= {(me, "Administrator")}
    accounts.set_role(db, team.admin, "anna", "Administrator")
    assert accounts.set_role(db, team.admin, me, "Manager").value.role == "Manager"
