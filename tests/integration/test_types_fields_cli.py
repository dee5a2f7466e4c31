"""Settings → Interaction types and → Fields through the CLI: the same use
cases, on both databases, with Russian names and several users."""

from __future__ import annotations

import json
from typing import Any

import pytest

from desktop.cli import main
from services.core.storage import Database
from services.interactions.interaction_input import known_types
from tests.conftest import Team
from tests.integration.helpers import acting_as


def _runner(args: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    def run(*more: str, code: int = 0) -> Any:
        capsys.readouterr()
        assert main([*args, *more, "--json"]) == code
        out = capsys.readouterr()
        return json.loads(out.out) if code == 0 else out.err

    return run


def test_types_add_rename_move_hide_and_what_a_new_interaction_is_offered(
    db_url: str, db: Database, team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    admin = _runner(acting_as(db_url, team.admin.login), capsys)
    added = admin("types", "add", "Site visit", "--ru", "Выезд на объект")
    assert (added["code"], added["name_ru"], added["builtin"]) == (
        "site_visit",
        "Выезд на объект",
        False,
    )
    assert admin("types", "rename", "sms", "--ru", "СМС-сообщение")["name_ru"] == "СМС-сообщение"
    admin("types", "move", "site_visit", "1")
    admin("types", "hide", "messenger")
    listed = admin("types", "list")
    assert [t["code"] for t in listed][:2] == ["site_visit", "call"]
    assert {t["code"]: t["hidden"] for t in listed}["messenger"] is True
    assert {t["code"]: t["builtin"] for t in listed}["sms"] is True  # keeps its code and icon
    with db.reader() as uow:
        offered = known_types(uow)
        every = known_types(uow, include_hidden=True)
    assert "site_visit" in offered
    assert "messenger" not in offered
    assert "messenger" in every

    manager = _runner(acting_as(db_url, "anna"), capsys)
    client = manager("clients", "add", "ООО «Выезд»")
    logged = manager("interactions", "add", "--type", "site_visit", "--client", str(client["id"]))
    assert logged["type"] == "site_visit"
    assert "may not" in manager("types", "add", "Чужой тип", code=2)
    assert "exists already" in admin("types", "add", "выезд на объект", code=2)
    for code in ("call", "meeting", "email", "sms", "other"):
        admin("types", "hide", code)
    assert "must stay visible" in admin("types", "hide", "site_visit", code=2)
    err = admin("types", "hide", "nothing", code=2)
    assert "does not exist" in err


def test_fields_of_every_type_with_russian_labels(
    db_url: str, db: Database, team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    admin = _runner(acting_as(db_url, team.admin.login), capsys)
    tier = admin(
        "fields", "add", "client", "tier", "Tier", "--ru", "Уровень", "--type", "list",
        "--option", "Золото", "--option", "Серебро",
    )  # fmt: skip
    assert (tier["label_ru"], tier["options"]) == ("Уровень", ["Золото", "Серебро"])
    admin("fields", "add", "lead", "budget", "Budget", "--ru", "Бюджет", "--type", "number")
    admin("fields", "add", "contact", "vip", "VIP", "--type", "bool")
    assert [f["code"] for f in admin("fields", "list")] == ["tier", "vip", "budget"]
    assert {f["code"] for f in admin("fields", "list", "--kind", "lead")} == {"budget"}

    manager = _runner(acting_as(db_url, "anna"), capsys)
    client = manager("clients", "add", "ООО «Поля»", "--field", "tier=Золото")
    assert "not one of Золото, Серебро" in manager(
        "clients", "add", "ООО «Неверно»", "--field", "tier=Бронза", code=2
    )
    assert manager("card", "client", str(client["id"]))["custom"] == {"tier": "Золото"}
    lead = manager("leads", "add", "Стройка на Садовой")
    manager("leads", "edit", str(lead["id"]), "--field", "budget=1500000,50")
    assert manager("card", "lead", str(lead["id"]))["custom"] == {"budget": "1500000.50"}
    changes = manager("history", "lead", str(lead["id"]))
    assert [(e["old"], e["new"]) for e in changes if e["field"] == "custom.budget"] == [
        (None, "1500000.50")
    ]
    assert "may not" in manager("fields", "add", "client", "x", "X", code=2)
    assert "choice" in admin("fields", "add", "client", "empty", "E", "--type", "list", code=2)

    # renamed and moved: the code, values and history stay; cards offer the new order
    admin("fields", "add", "client", "inn", "Tax ID", "--ru", "ИНН")
    renamed = admin("fields", "rename", "client", "tier", "--en", "Level", "--ru", "Статус")
    assert (renamed["code"], renamed["label"], renamed["label_ru"]) == ("tier", "Level", "Статус")
    assert admin("fields", "rename", "client", "tier", "--ru", "")["label_ru"] == "Level"
    assert "must not be empty" in admin("fields", "rename", "client", "tier", "--en", " ", code=2)
    admin("fields", "move", "client", "inn", "1")
    assert [f["code"] for f in admin("fields", "list", "--kind", "client")] == ["inn", "tier"]
    assert manager("card", "client", str(client["id"]))["custom"] == {"tier": "Золото"}
    assert "may not" in manager("fields", "move", "client", "tier", "1", code=2)
    admin("fields", "move", "client", "inn", "9")
    assert [f["code"] for f in admin("fields", "list", "--kind", "client")] == ["tier", "inn"]

    admin("fields", "remove", "client", "tier")
    assert manager("card", "client", str(client["id"]))["custom"] == {}
    assert "does not exist" in admin("fields", "remove", "client", "tier", code=2)
