"""The CLI's promise on bad input: exit 2, one line, nothing changed.

Each case here was a traceback, a usage block, a silent acceptance or a
file left behind (issue 14); the property test over every command is in
test_cli_fuzz.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from services.core.storage import open_database
from tests.integration.mail_helpers import account, client_with_email
from tests.integration.test_cli import Cli

HUGE = "99999999999999999999999"


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_url, capsys)


@pytest.fixture
def sqlite_cli(sqlite_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    path = tmp_path / "touchpoint.sqlite3"
    shutil.copy(sqlite_template, path)
    return Cli(f"sqlite:///{path}", capsys)


def refused(cli: Cli, *args: str) -> str:
    """The one line a refused command prints; asserts nothing changed."""
    before = cli.counts()
    code, out, err = cli.run(*args)
    assert code == 2, (args, out, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("touchpoint: ")
    assert "Traceback" not in err
    assert "usage:" not in err
    assert cli.counts() == before
    return lines[0]


def a_client(cli: Cli, name: str = "ООО Ромашка", *more: str) -> int:
    return int(cli.json("clients", "add", name, *more)["id"])


def test_ids_too_large_for_the_database_are_refused(cli: Cli) -> None:
    client = str(a_client(cli))
    for args in (
        ("clients", "show", HUGE),
        ("interactions", "done", HUGE),
        ("feed", "--client", HUGE),
        ("feed", "--client", client, "--owner", HUGE),
        ("notes", "add", "client", HUGE, "заметка"),
        ("mail", "sync", "--account", HUGE),
    ):
        line = refused(cli, *args)
        assert f"{HUGE} is too large" in line, line


def test_a_100000_character_search_works_or_is_refused_clearly(cli: Cli) -> None:
    client = str(a_client(cli))
    text = "ж" * 100_000
    # A name is at most 300 characters: a longer search finds nothing, quietly.
    assert cli.json("clients", "list", "--text", text) == []
    assert "too long" in refused(cli, "feed", "--client", client, "--text", text)
    # A long but sane search still works.
    assert cli.json("feed", "--client", client, "--text", "ж" * 1000)["items"] == []


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (
            ["interactions", "add", "--type", "call", "--client", "1", "--direction", "sideways"],
            "choose from 'in', 'out', 'none'",
        ),
        (["notes", "add", "planet", "1", "текст"], "choose from 'client', 'lead'"),
        (["clients", "show", "1; DROP TABLE clients"], "not a whole number"),
        (
            ["outbox", "list", "--state", "lost"],
            "choose from 'queued', 'sending', 'sent', 'failed'",
        ),
        (["clients"], "required: <action>"),
        (["clients", "show"], "required: id"),
        (["clients", "list", "--limit"], "expected one argument"),
        (["feed", "--client", "1", "--lead", "2"], "not allowed with argument"),
        (["frobnicate"], "invalid choice"),
        (["clients", "list", "--bogus"], "unrecognized arguments: --bogus"),
        (["demo", "--clients", "-5"], "must not be negative"),
        (["clients", "add", "ООО", "--timezone", "x" * 300], "Unknown time zone"),
    ],
)
def test_argument_errors_are_one_line_without_the_usage_block(
    sqlite_cli: Cli, args: list[str], reason: str
) -> None:
    assert reason in refused(sqlite_cli, *args)


def test_unknown_feed_types_are_refused_with_the_allowed_ones(cli: Cli) -> None:
    client = str(a_client(cli))
    line = refused(cli, "feed", "--client", client, "--type", "telegram")
    assert "'telegram'" in line
    assert "call, meeting, email, sms, messenger, other, note, task, change" in line
    assert cli.json("feed", "--client", client, "--type", "call", "--type", "note")["items"] == []


@pytest.mark.parametrize(
    "args",
    [
        ["demo", "--clients", "-5"],
        ["demo", "--clients", "5000000"],
        ["clients", "show", "5"],
        ["feed", "--client", "1", "--text", "x" * 2000],
        ["interactions", "add", "--type", "call", "--client", "1"],
    ],
    ids=["negative", "too-many", "not-found", "long-search", "no-client"],
)
def test_a_refused_command_leaves_no_database_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    path = tmp_path / "new.sqlite3"
    assert main(["--db", str(path), *args]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
    # The same file is made by a command that succeeds.
    assert main(["--db", str(path), "clients", "list"]) == 0
    assert path.is_file()


def test_percent_and_underscore_are_literal_in_a_client_search(cli: Cli) -> None:
    a_client(cli, "100% Вкус")
    a_client(cli, "ООО Ромашка")
    a_client(cli, "Тест_1")
    a_client(cli, "Тест-1")
    assert [c["name"] for c in cli.json("clients", "list", "--text", "%")] == ["100% Вкус"]
    assert [c["name"] for c in cli.json("clients", "list", "--text", "_")] == ["Тест_1"]
    assert [c["name"] for c in cli.json("clients", "list", "--text", "Тест_")] == ["Тест_1"]
    assert cli.json("clients", "list", "--text", "\\") == []


def test_clients_list_json_has_the_cards_zone_local_time_and_points(cli: Cli) -> None:
    novosibirsk = a_client(cli, "ООО Сибирь", "--phone", "+7 383 123-45-67", "--email", "a@sib.ru")
    by_contact = a_client(cli, "ООО Через контакт")
    cli.json("contacts", "add", "Иван", "--client", str(by_contact), "--phone", "+7 423 222-33-44")
    nothing = a_client(cli, "ООО Без связи")
    listed = {c["id"]: c for c in cli.json("clients", "list")}
    for cid in (novosibirsk, by_contact, nothing):
        card = cli.json("clients", "show", str(cid))
        row = listed[cid]
        assert row["timezone"] == card["timezone"]
        assert row["points"] == card["points"]
        # The same zone, so the same offset (the seconds between two calls may differ).
        assert (row["local_time"] or "")[-6:] == (card["local_time"] or "")[-6:]
    assert listed[novosibirsk]["timezone"] == "Asia/Novosibirsk"
    assert listed[novosibirsk]["local_time"].endswith("+07:00")
    assert [p["raw"] for p in listed[novosibirsk]["points"]] == ["a@sib.ru", "+7 383 123-45-67"]
    assert listed[by_contact]["timezone"] == "Asia/Vladivostok"
    assert listed[nothing]["local_time"] is None


def test_done_with_a_next_step_reports_the_new_interaction(cli: Cli) -> None:
    client = str(a_client(cli))
    first = cli.json(
        "interactions",
        "add",
        "--type",
        "call",
        "--client",
        client,
        "--planned",
        "--at",
        "2026-12-20 10:00",
        "--tz",
        "Europe/Moscow",
    )
    code, out, err = cli.run(
        "interactions",
        "done",
        str(first["id"]),
        "--next-type",
        "meeting",
        "--next-at",
        "2026-12-27 11:00",
    )
    assert code == 0, err
    planned = [i for i in cli.json("feed", "--client", client)["items"] if i["state"] == "planned"]
    assert len(planned) == 1
    assert f"next: interaction {planned[0]['id']} planned" in out
    second = cli.json(
        "interactions",
        "cancel",
        str(planned[0]["id"]),
        "--next-type",
        "call",
        "--next-at",
        "2027-01-10 10:00",
    )
    assert second["state"] == "cancelled"
    third = cli.json("interactions", "show", str(second["next_id"]))
    assert (third["type"], third["state"]) == ("call", "planned")
    assert third["next_id"] is None


def test_demo_prints_counts_not_a_python_repr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "demo.sqlite3")
    assert main(["--db", db, "demo", "--clients", "3", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("demo data: 3 clients, ")
    assert "DemoSummary" not in out
    assert "=" not in out
    other = str(tmp_path / "demo2.sqlite3")
    assert main(["--db", other, "demo", "--clients", "3", "--seed", "7", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["clients"] == 3


def test_importing_a_folder_says_it_is_a_folder(sqlite_cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "Контакты"
    folder.mkdir()
    assert refused(sqlite_cli, "import", "contacts", str(folder)).endswith(
        "is a folder: give a file"
    )
    assert refused(sqlite_cli, "calls", "import", str(folder)).endswith("is a folder: give a file")
    assert "No such file" in refused(sqlite_cli, "import", "contacts", str(tmp_path / "нет.vcf"))


def test_no_clients_yet_only_when_there_are_none(sqlite_cli: Cli) -> None:
    code, out, _ = sqlite_cli.run("clients", "list")
    assert code == 0
    assert out.startswith("No clients yet")
    a_client(sqlite_cli)
    for args in (("--text", "Вектор"), ("--after", "1")):
        code, out, _ = sqlite_cli.run("clients", "list", *args)
        assert (code, out) == (0, "No clients match.\n")


CALL_HEADER = b"started_at,direction,number,duration_s\r\n"
GOOD_ROW = b"2026-11-20 10:00:00,in,+7 495 123-45-67,60\r\n"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (CALL_HEADER + b"2026-11-20 10:00:00,in,+7 495 1\r23-45-67,60\r\n" + GOOD_ROW, None),
        (
            CALL_HEADER + GOOD_ROW + b'2026-11-21 10:00:00,in,"' + b"7" * 140_000 + b'",1\r\n',
            "not a readable CSV call log",
        ),
        (
            CALL_HEADER + GOOD_ROW + b"2026-11-21 10:00:00,in,\x98\xff\x81,1\r\n",
            "neither UTF-8 nor Windows-1251",
        ),
        (
            CALL_HEADER
            + GOOD_ROW
            + "2026-11-21 10:00:00,in,+7 495 1,²\r\n".encode()
            + b"2026-11-22 10:00:00,in,+7 495 123-45-68,"
            + b"9" * 5000
            + b"\r\n"
            + b"0001-01-01 00:00:00+14:00,in,+7 495 123-45-69,1\r\n",
            None,
        ),
    ],
    ids=["lone-cr", "huge-field", "undecodable", "bad-values"],
)
def test_calls_import_of_a_mutated_log_refuses_in_one_line_or_rejects_rows(
    cli: Cli, tmp_path: Path, content: bytes, reason: str | None
) -> None:
    log = tmp_path / "calls.csv"
    log.write_bytes(content)
    if reason is not None:
        assert reason in refused(cli, "calls", "import", str(log))
        return
    result = cli.json("calls", "import", str(log))
    assert result["created"] >= 1
    assert result["rejected"], result  # the broken rows, each with its reason
    assert all(r["reason"] for r in result["rejected"])


@pytest.mark.parametrize(
    "args",
    [
        ["clients", "add", "ООО \udcff\udcfe"],
        ["--user", "adm\udce9n", "clients", "list"],
        ["clients", "list", "--text", "\udcd0"],
        ["feed", "--client", "1", "--type", "c\udce1ll"],
        ["deals", "move", "1", "\udcc0"],
        ["import", "contacts", "/tmp/\udcff.vcf"],
    ],
)
def test_arguments_that_are_not_utf8_are_refused(sqlite_cli: Cli, args: list[str]) -> None:
    assert "not valid UTF-8" in refused(sqlite_cli, *args)


def test_invalid_utf8_bytes_on_a_real_command_line(sqlite_cli: Cli) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [
            sys.executable.encode(),
            b"-m",
            b"desktop",
            b"--db",
            sqlite_cli.url.encode(),
            b"clients",
            b"add",
            b"\xcf\xee\xeb\xfc",
        ],  # cp1251 bytes, not UTF-8
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.count(b"\n") == 1
    assert b"not valid UTF-8" in done.stderr


@pytest.mark.parametrize("amount", ["NaN", "1e309", "Infinity", "-Infinity", "sNaN", "1e999999999"])
def test_deal_amounts_that_are_no_money_are_refused(cli: Cli, amount: str) -> None:
    client = str(a_client(cli))
    refused(cli, "deals", "add", "Поставка", "--client", client, "--amount", amount)


def test_far_dates_are_refused_and_the_calendar_still_exports(cli: Cli, tmp_path: Path) -> None:
    client = str(a_client(cli))
    for at in ("9999-12-31 23:59", "0001-01-01 00:00", "0001-01-01T00:00+14:00"):
        line = refused(
            cli,
            "interactions",
            "add",
            "--type",
            "call",
            "--client",
            client,
            "--planned",
            "--at",
            at,
        )
        assert "use a year from 1900 to 2200" in line
    cli.json(
        "interactions",
        "add",
        "--type",
        "call",
        "--client",
        client,
        "--planned",
        "--at",
        "2200-12-31 23:59",
        "--tz",
        "Pacific/Kiritimati",
    )
    out = cli.json("export", "calendar", str(tmp_path / "plan.ics"))
    assert out["rows"] == 1
    assert "DTSTART:22001231T095900Z" in (tmp_path / "plan.ics").read_text()


def test_output_into_a_closed_pipe_ends_quietly(sqlite_cli: Cli) -> None:
    client = str(a_client(sqlite_cli))
    for n in range(30):
        sqlite_cli.json("notes", "add", "client", client, f"заметка {n} " + "ж" * 2000)
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head -0`: nobody reads
    try:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "desktop",
                "--db",
                sqlite_cli.url,
                "feed",
                "--client",
                client,
                "--json",
            ],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=env,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.stderr == b""
    assert done.returncode == 0


@pytest.mark.parametrize("damage", ["deleted", "garbage"])
def test_send_due_with_a_broken_ca_file_says_so_and_keeps_the_letter_queued(
    sqlite_cli: Cli, mailbox: dict[str, Any], smtp: Any, tmp_path: Path, damage: str
) -> None:
    ca = tmp_path / "ca.pem"
    shutil.copy(mailbox["ca_file"], ca)
    db = open_database(sqlite_cli.url)
    try:
        client = client_with_email(db, "ООО Ромашка", "ivan@romashka.ru")
        acc = account(db, mailbox, smtp=smtp, ca_file=str(ca))
    finally:
        db.dispose()
    letter = sqlite_cli.json(
        "mail", "send", "--account", str(acc), "--to", "ivan@romashka.ru",
        "--subject", "КП", "--body", "Добрый день", "--client", str(client),
    )  # fmt: skip
    if damage == "deleted":
        ca.unlink()
    else:
        ca.write_text("-----BEGIN CERTIFICATE-----\nмусор\n-----END CERTIFICATE-----\n")
    code, out, err = sqlite_cli.run("outbox", "send-due")
    assert code == 0, err
    assert "Traceback" not in err
    assert f"{letter['id']}: The CA file {ca} " in out
    [row] = sqlite_cli.json("outbox", "list")
    assert row["state"] == "queued"
    assert row["last_error"].startswith(f"The CA file {ca} ")
    assert smtp.messages == []


def test_a_year_9999_saved_before_the_bound_does_not_stop_the_calendar(
    sqlite_cli: Cli, tmp_path: Path
) -> None:
    client = str(a_client(sqlite_cli))
    sqlite_cli.json(
        "interactions", "add", "--type", "call", "--client", client, "--planned",
        "--at", "2026-12-31 23:59", "--tz", "UTC",
    )  # fmt: skip
    path = Path(sqlite_cli.url.removeprefix("sqlite:///"))
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE interactions SET start_utc = '9999-12-31 23:59:00.000000'")
        conn.commit()
    out = sqlite_cli.json("export", "calendar", str(tmp_path / "plan.ics"))
    assert out["rows"] == 1
    assert "DTSTART:99991231T235900Z" in (tmp_path / "plan.ics").read_text()
