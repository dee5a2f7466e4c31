"""``touchpoint notes show|edit|remove``: the note's JSON, one-line refusals
that change nothing, and a colleague's note left alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.integration.test_cli import Cli
from tests.integration.test_cli_refusals import refused

FIELDS = {
    "id",
    "uid",
    "body",
    "author_id",
    "author_name",
    "created_at",
    "mentions",
    "client_id",
    "lead_id",
    "deal_id",
    "contact_id",
    "row_version",
}


@pytest.fixture
def cli(sqlite_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    path = tmp_path / "touchpoint.sqlite3"
    shutil.copy(sqlite_template, path)
    made = Cli(f"sqlite:///{path}", capsys)
    made.json("users", "add", "anna", "Анна Смирнова")
    made.json("users", "add", "boris", "Борис Петров")
    return made


def _note(cli: Cli, body: str = "Позвонить Ёжикову, @boris") -> tuple[int, dict[str, object]]:
    client = cli.json("--user", "anna", "clients", "add", "ООО «Ёлка»")
    made = cli.json("--user", "anna", "notes", "add", "client", str(client["id"]), body)
    return int(client["id"]), cli.json("--user", "anna", "notes", "show", str(made["id"]))


def test_edit_prints_the_note_and_its_mentions_follow(cli: Cli) -> None:
    cid, note = _note(cli)
    assert set(note) == FIELDS
    assert (note["client_id"], note["mentions"], note["row_version"]) == (cid, ["boris"], 1)
    assert note["author_name"] == "Анна Смирнова"
    nid = str(note["id"])
    edited = cli.json(
        "--user", "anna", "notes", "edit", nid, "Отправить КП «Ёлке», @root", "--if-version", "1"
    )
    assert set(edited) == FIELDS
    assert (edited["body"], edited["mentions"], edited["row_version"]) == (
        "Отправить КП «Ёлке», @root",
        ["root"],
        2,
    )
    code, out, _err = cli.run("--user", "anna", "notes", "edit", nid, "Счёт\nвторая строка")
    assert code == 0
    assert out.strip() == f"note {nid} by Анна Смирнова: Счёт [saved]"
    gone = cli.json("--user", "anna", "notes", "remove", nid)
    assert set(gone) == FIELDS
    assert gone["body"] == "Счёт\nвторая строка"
    line = refused(cli, "--user", "anna", "notes", "show", nid)
    assert line == f"touchpoint: Note {nid} does not exist"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["   "], "must not be empty"),
        (["Я" * 20_001], "longer than 20000"),
        (["Звонок\u202e"], "control character (U+202E)"),
        (["Звонок\x1b[2J"], "control character (U+001B)"),
        (["Спросить @nobody"], "No colleague with login @nobody"),
        (["Другая", "--if-version", "1"], None),
    ],
)
def test_bad_edits_exit_2_with_one_line_and_change_nothing(
    cli: Cli, args: list[str], words: str | None
) -> None:
    _cid, note = _note(cli)
    nid = str(note["id"])
    if words is None:  # a stale version: someone saved after version 1
        cli.json("--user", "root", "notes", "edit", nid, "Первая правка")
        note = cli.json("--user", "anna", "notes", "show", nid)
        words = "body: yours 'Другая', saved 'Первая правка'"
    line = refused(cli, "--user", "anna", "notes", "edit", nid, *args)
    assert words in line
    assert cli.json("--user", "anna", "notes", "show", nid) == note


def test_a_colleagues_note_is_refused_and_left_alone(cli: Cli) -> None:
    _cid, note = _note(cli)
    nid = str(note["id"])
    for action in (["edit", nid, "Чужое"], ["remove", nid], ["show", nid]):
        line = refused(cli, "--user", "boris", "notes", *action)
        assert "belongs to another manager" in line
    assert cli.json("--user", "anna", "notes", "show", nid) == note
