"""Cyrillic names and text match in any case, and "ё" as "е", on both databases.

SQLite's own lower() and LIKE fold ASCII only: these go through the CLI and
the services a user would touch, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from services.core import bootstrap
from services.core.storage import Database
from services.feed import search
from services.parties import lists


class Cli:
    def __init__(self, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = url
        self.capsys = capsys

    def json(self, *args: str) -> Any:
        self.capsys.readouterr()
        code = main(["--db", self.url, *args, "--json"])
        out, err = self.capsys.readouterr()
        assert code == 0, err
        return json.loads(out)

    def names(self, text: str) -> list[str]:
        return [c["name"] for c in self.json("clients", "list", "--text", text)]


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_url, capsys)


def test_clients_list_text_finds_a_name_in_any_case_and_with_yo(cli: Cli) -> None:
    cli.json("clients", "add", "СпецМонтаж")
    cli.json("clients", "add", "Ёлочные игрушки")
    cli.json("clients", "add", "ООО 100% Качество")
    assert cli.names("спецмонтаж") == ["СпецМонтаж"]
    assert cli.names("СПЕЦМОНТАЖ") == ["СпецМонтаж"]
    assert cli.names("монтаж") == ["СпецМонтаж"]
    assert cli.names("елочные") == ["Ёлочные игрушки"]
    assert cli.names("ЁЛОЧНЫЕ") == ["Ёлочные игрушки"]
    # % and _ are letters here, not wildcards
    assert cli.names("%") == ["ООО 100% Качество"]
    assert cli.names("_") == []


def test_lists_and_global_search_fold_cyrillic(db: Database) -> None:
    from services.parties import records as parties

    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        cid = parties.add_client(uow, actor, "СпецМонтаж Ёлки").id
        uow.commit()
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        for text in ("спецмонтаж", "СПЕЦМОНТАЖ елки", "ёлки"):
            page = lists.client_page(uow, actor, text=text)
            assert [r.id for r in page.rows] == [cid], text
            assert lists.count_clients(uow, actor, text) == 1
            hits = search.search(uow, actor, text)
            assert [(h.kind, h.id) for h in hits] == [("client", cid)], text


def test_feed_text_filter_folds_cyrillic_in_interactions_notes_and_tasks(cli: Cli) -> None:
    cid = str(cli.json("clients", "add", "Ромашка")["id"])
    cli.json(
        "interactions",
        "add",
        "--type",
        "call",
        "--client",
        cid,
        "--at",
        "2026-10-01 10:00",
        "--subject",
        "Звонок про ЁЛКИ",
    )
    cli.json("notes", "add", "client", cid, "Привезти СпецМонтаж на объект")
    task = cli.json("tasks", "add", "client", cid, "Позвонить ИВАНУ Петрову")
    cli.json("tasks", "done", str(task["id"]))

    def titles(text: str) -> list[str]:
        feed = cli.json("feed", "--client", cid, "--text", text)
        return sorted((i["kind"], i["title"] or i["text"] or "") for i in feed["items"])

    assert [k for k, _ in titles("ёлки")] == ["interaction"]
    assert [k for k, _ in titles("елки")] == ["interaction"]
    assert [k for k, _ in titles("спецмонтаж")] == ["note"]
    assert [k for k, _ in titles("иванУ")] == ["task"]


def test_vcard_organizations_in_other_case_are_one_client(
    cli: Cli, db: Database, tmp_path: Path
) -> None:
    known = cli.json("clients", "add", "ООО СПЕЦМОНТАЖ")["id"]
    path = tmp_path / "orgs.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Иван Петров\r\nORG:АО Вектор\r\n"
        "EMAIL:ivan@vector.example\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Анна Смирнова\r\nORG:ао вектор\r\n"
        "EMAIL:anna@vector.example\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Пётр Сидоров\r\nORG:ООО Спецмонтаж\r\n"
        "EMAIL:petr@spec.example\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    summary = cli.json("import", "contacts", str(path))
    assert summary["created"] == 3
    vector = cli.json("clients", "list", "--text", "вектор")
    assert [c["name"] for c in vector] == ["АО Вектор"]
    card = cli.json("clients", "show", str(vector[0]["id"]))
    assert sorted(c["full_name"] for c in card["contacts"]) == ["Анна Смирнова", "Иван Петров"]
    spec = cli.json("clients", "list", "--text", "спецмонтаж")
    assert [c["id"] for c in spec] == [known]
    card = cli.json("clients", "show", str(known))
    assert [c["full_name"] for c in card["contacts"]] == ["Пётр Сидоров"]


def test_pipelines_and_stages_are_named_in_any_case(
    cli: Cli, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = cli.json(
        "pipelines", "add", "Оптовые продажи", "--stage", "Первый звонок", "--stage", "Счёт"
    )["id"]
    capsys.readouterr()
    assert main(["--db", cli.url, "pipelines", "add", "ОПТОВЫЕ ПРОДАЖИ", "--stage", "x"]) == 2
    assert "exists already" in capsys.readouterr().err
    client = str(cli.json("clients", "add", "Ромашка")["id"])
    deal = cli.json("deals", "add", "Поставка", "--client", client, "--pipeline", "оптовые продажи")
    assert deal["pipeline_id"] == pid
    moved = cli.json("deals", "move", str(deal["id"]), "СЧЕТ")
    assert moved["stage"] == "Счёт"
