"""``touchpoint ... edit|archive|unarchive`` and ``leads convert``: the
desktop's use cases from a shell, with the CLI's contract (``--json``,
refusals on one line with exit 2 and nothing changed)."""

from __future__ import annotations

import pytest

from services.core.storage import open_database
from tests.conftest import make_team
from tests.integration.test_cli import Cli


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    database = open_database(db_url)
    try:
        make_team(database)
    finally:
        database.dispose()
    return Cli(db_url, capsys)


def test_edit_a_client_and_hand_it_to_a_colleague(cli: Cli) -> None:
    client = cli.json("clients", "add", "ООО Ромашка")
    edited = cli.json(
        "clients",
        "edit",
        str(client["id"]),
        "--name",
        "ООО «Ромашка»",
        "--owner",
        "anna",
        "--address",
        "Казань, ул. Баумана, 1",
        "--region",
        "ru",
    )
    assert edited["name"] == "ООО «Ромашка»"
    assert edited["owner_name"] == "Анна Смирнова"
    assert (edited["address"], edited["region"]) == ("Казань, ул. Баумана, 1", "RU")
    cleared = cli.json("clients", "edit", str(client["id"]), "--address", "")
    assert cleared["address"] is None
    assert cleared["name"] == "ООО «Ромашка»"


def test_edit_contact_lead_and_deal(cli: Cli) -> None:
    client = cli.json("clients", "add", "Василёк")
    contact = cli.json("contacts", "add", "Иван", "--client", str(client["id"]))
    assert (
        cli.json("contacts", "edit", str(contact["id"]), "--position", "Главбух")["position"]
        == "Главбух"
    )
    lead = cli.json("leads", "add", "Пётр", "--company", "Лютик")
    assert cli.json("leads", "edit", str(lead["id"]), "--owner", "boris")["owner_name"] == (
        "Борис Петров"
    )
    deal = cli.json("deals", "add", "Поставка", "--client", str(client["id"]))
    edited = cli.json("deals", "edit", str(deal["id"]), "--amount", "12 000", "--currency", "usd")
    assert (edited["amount"], edited["currency"]) == ("12000.00", "USD")


def test_archive_list_unarchive(cli: Cli) -> None:
    client = cli.json("clients", "add", "Архив и Ко")
    done = cli.json("clients", "archive", str(client["id"]))
    assert (done["archived"], done["changed"]) == (True, True)
    assert cli.json("clients", "list") == []
    assert [c["name"] for c in cli.json("clients", "list", "--archived")] == ["Архив и Ко"]
    code, out, _err = cli.run("clients", "archive", str(client["id"]))
    assert code == 0
    assert "already" in out
    cli.json("clients", "unarchive", str(client["id"]))
    assert [c["name"] for c in cli.json("clients", "list")] == ["Архив и Ко"]


def test_convert_a_lead(cli: Cli) -> None:
    lead = cli.json("leads", "add", "Мария", "--company", "ООО Лютик", "--phone", "89123456789")
    deal = cli.json("deals", "add", "Пилот", "--lead", str(lead["id"]))
    client = cli.json("leads", "convert", str(lead["id"]))
    assert client["kind"] == "client"
    assert client["name"] == "ООО Лютик"
    assert [c["full_name"] for c in client["contacts"]] == ["Мария"]
    assert cli.json("deals", "show", str(deal["id"]))["client_id"] == client["id"]
    assert cli.json("leads", "show", str(lead["id"]))["converted"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["clients", "edit", "999", "--name", "X"], "Client 999 does not exist"),
        (["clients", "edit", "1", "--owner", "nobody"], "No active user 'nobody'"),
        (["clients", "edit", "1", "--name", "Bell\x07"], "control character"),
        (["clients", "edit", "1", "--field", "nope=1"], "Unknown client field"),
        (["deals", "edit", "1", "--amount", "много"], "is not a number"),
        (["leads", "convert", "999"], "Lead 999 does not exist"),
        (["contacts", "archive", "999"], "Contact 999 does not exist"),
    ],
)
def test_refusals_are_one_line_exit_2_and_change_nothing(
    cli: Cli, args: list[str], message: str
) -> None:
    client = cli.json("clients", "add", "Ромашка")
    cli.json("deals", "add", "Сделка", "--client", str(client["id"]))
    before = cli.counts()
    code, out, err = cli.run(*args)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert cli.counts() == before
    assert cli.json("clients", "show", str(client["id"]))["name"] == "Ромашка"
