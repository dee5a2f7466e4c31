"""A card's change history with readable values, and managing colleagues,
through the CLI (the same use cases as the desktop) on both databases."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from desktop.cli import main
from models import Client, User
from services.core.storage import Database
from services.parties import custom_fields
from tests.conftest import Team
from tests.integration.helpers import acting_as


def _runner(args: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    def run(*more: str, code: int = 0) -> Any:
        capsys.readouterr()
        assert main([*args, *more, "--json"]) == code
        out = capsys.readouterr()
        return json.loads(out.out) if code == 0 else out.err

    return run


def test_history_names_the_stage_the_owner_and_the_custom_field(
    db_url: str, db: Database, team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _runner(acting_as(db_url, "anna"), capsys)
    client = run("clients", "add", "ООО «Ромашка»")
    deal = run("deals", "add", "Поставка бумаги", "--client", str(client["id"]))
    run("deals", "move", str(deal["id"]), "Proposal")
    with db.uow(team.admin.id) as uow:
        custom_fields.define(uow, team.admin, "client", "inn", "ИНН", "number")
        uow.commit()
    with db.uow(team.anna.id) as uow:
        row = uow.session.get(Client, client["id"])
        boris = uow.session.scalar(select(User.id).where(User.login == "boris"))
        assert row is not None
        assert boris is not None
        row.owner_id = boris
        custom_fields.set_values(uow, "client", client["id"], {"inn": "7701234567"})
        uow.commit()

    deal_history = run("history", "deal", str(deal["id"]))
    moved = [e for e in deal_history if e["field"] == "stage"]
    assert [(e["old"], e["new"], e["user"]) for e in moved] == [
        ("Qualification", "Proposal", "Анна Смирнова")
    ]
    assert moved[0]["old_raw"].isdigit()  # the stored id stays available
    assert deal_history[-1]["field"] == "created"
    assert deal_history[-1]["new"] == "Поставка бумаги"

    # boris owns the client now: anna no longer sees it, boris and the admin do
    boris_run = _runner(acting_as(db_url, "boris"), capsys)
    changes = {
        e["field"]: (e["old"], e["new"]) for e in boris_run("history", "client", str(client["id"]))
    }
    assert changes["owner"] == ("Анна Смирнова", "Борис Петров")
    assert changes["custom.inn"] == (None, "7701234567")

    capsys.readouterr()
    assert main([*acting_as(db_url, "boris"), "history", "client", str(client["id"])]) == 0
    assert "owner: Анна Смирнова → Борис Петров" in capsys.readouterr().out


def test_history_of_another_managers_card_is_refused(
    db_url: str, db: Database, team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    client = _runner(acting_as(db_url, "anna"), capsys)("clients", "add", "ООО «Тайна»")
    err = _runner(acting_as(db_url, "boris"), capsys)(
        "history", "client", str(client["id"]), code=2
    )
    assert "another manager" in err
    assert len(err.strip().splitlines()) == 1
    err = _runner(acting_as(db_url, "boris"), capsys)("history", "client", "999999", code=2)
    assert "does not exist" in err


def test_an_admin_adds_a_colleague_who_then_is_offered_everywhere(
    db_url: str, db: Database, team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    admin = _runner(acting_as(db_url, team.admin.login), capsys)
    added = admin("users", "add", "vera", "Вера Кузнецова")
    assert (added["full_name"], added["role"], added["active"]) == (
        "Вера Кузнецова",
        "Manager",
        True,
    )
    assert "vera" in {u["login"] for u in admin("users")}
    assert admin("users", "set-role", "vera", "administrator")["role"] == "Administrator"
    assert admin("users", "deactivate", "vera")["active"] is False
    assert "vera" not in {u["login"] for u in admin("users", "list")}
    assert {u["login"]: u["active"] for u in admin("users", "list", "--all")}["vera"] is False
    assert "exists already" in admin("users", "add", "vera", "Вера", code=2)
    assert "Unknown role" in admin("users", "add", "ivan", "Иван", "--role", "Boss", code=2)

    manager = _runner(acting_as(db_url, "anna"), capsys)
    err = manager("users", "add", "petr", "Пётр", code=2)
    assert "may not" in err
