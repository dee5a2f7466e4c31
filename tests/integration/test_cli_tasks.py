"""``touchpoint tasks show|edit|reopen|remove``: the task's JSON, one-line
refusals that change nothing, and another manager's task left alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.integration.test_cli import Cli
from tests.integration.test_cli_refusals import refused

FIELDS = {
    "id",
    "uid",
    "title",
    "deadline",
    "assignee_id",
    "assignee_name",
    "author_id",
    "done",
    "done_at",
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


def _task(cli: Cli, *more: str) -> tuple[int, dict[str, object]]:
    client = cli.json("--user", "anna", "clients", "add", "ООО «Ёлка»")
    made = cli.json(
        "--user", "anna", "tasks", "add", "client", str(client["id"]), "Позвонить Ёжикову", *more
    )
    return int(client["id"]), cli.json("--user", "anna", "tasks", "show", str(made["id"]))


def _users(cli: Cli) -> dict[str, int]:
    return {u["login"]: u["id"] for u in cli.json("users")}


def test_edit_prints_the_task_and_changes_what_was_given(cli: Cli) -> None:
    cid, task = _task(cli, "--deadline", "2026-12-03 10:00")
    assert set(task) == FIELDS
    assert (task["client_id"], task["done"], task["row_version"]) == (cid, False, 1)
    users = _users(cli)
    tid = str(task["id"])
    edited = cli.json(
        "--user",
        "anna",
        "tasks",
        "edit",
        tid,
        "--title",
        "Отправить КП «Ёлке»",
        "--deadline",
        "2026-12-10T09:30+03:00",
        "--assignee",
        str(users["boris"]),
        "--if-version",
        "1",
    )
    assert set(edited) == FIELDS
    assert edited["title"] == "Отправить КП «Ёлке»"
    assert edited["deadline"] == "2026-12-10T06:30:00+00:00"
    assert (edited["assignee_id"], edited["assignee_name"]) == (users["boris"], "Борис Петров")
    assert edited["row_version"] == 2
    # the assignee now sees it and clears the deadline; the title stays
    cleared = cli.json("--user", "boris", "tasks", "edit", tid, "--no-deadline")
    assert (cleared["deadline"], cleared["title"]) == (None, "Отправить КП «Ёлке»")
    code, out, _err = cli.run("--user", "boris", "tasks", "edit", tid, "--title", "Счёт")
    assert code == 0
    assert out.strip().startswith(f"task {tid}: Счёт [open, no deadline, Борис Петров]")


def test_done_reopen_and_remove(cli: Cli) -> None:
    _cid, task = _task(cli)
    tid = str(task["id"])
    done = cli.json("--user", "anna", "tasks", "done", tid)
    assert (done["id"], done["done"]) == (task["id"], True)
    assert done["done_at"] is not None
    reopened = cli.json("--user", "anna", "tasks", "reopen", tid)
    assert (reopened["done"], reopened["done_at"]) == (False, None)
    gone = cli.json("--user", "anna", "tasks", "remove", tid)
    assert set(gone) == FIELDS
    assert gone["title"] == "Позвонить Ёжикову"
    line = refused(cli, "--user", "anna", "tasks", "show", tid)
    assert line == f"touchpoint: Task {tid} does not exist"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--title", "   "], "must not be empty"),
        (["--title", "Я" * 501], "longer than 500"),
        (["--title", "Звонок\u202e"], "control character (U+202E)"),
        (["--deadline", "завтра"], "завтра"),
        (["--deadline", "2026-12-03 10:00", "--no-deadline"], "not allowed with argument"),
        (["--assignee", "987654"], "No colleague has the id 987654"),
        (["--assignee", "-1"], "touchpoint: "),
        (["--if-version", "1", "--title", "Другая"], None),
    ],
)
def test_bad_edits_exit_2_with_one_line_and_change_nothing(
    cli: Cli, args: list[str], words: str | None
) -> None:
    _cid, task = _task(cli)
    tid = str(task["id"])
    if words is None:  # a stale version: someone saved after version 1
        cli.json("--user", "anna", "tasks", "edit", tid, "--title", "Первая правка")
        task = cli.json("--user", "anna", "tasks", "show", tid)
        words = "title: yours 'Другая', saved 'Первая правка'"
    line = refused(cli, "--user", "anna", "tasks", "edit", tid, *args)
    assert words in line
    assert cli.json("--user", "anna", "tasks", "show", tid) == task


def test_a_colleagues_task_is_refused_and_left_alone(cli: Cli) -> None:
    _cid, task = _task(cli)
    tid = str(task["id"])
    for action in (
        ["edit", tid, "--title", "Чужое"],
        ["reopen", tid],
        ["remove", tid],
        ["show", tid],
    ):
        line = refused(cli, "--user", "boris", "tasks", *action)
        assert "belongs to another manager" in line
    assert cli.json("--user", "anna", "tasks", "show", tid) == task


def test_reopening_an_open_task_is_refused(cli: Cli) -> None:
    _cid, task = _task(cli)
    line = refused(cli, "--user", "anna", "tasks", "reopen", str(task["id"]))
    assert f"Task {task['id']} is not done" in line
