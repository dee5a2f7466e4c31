"""The CLI contract: commands, JSON fields, exit codes, nothing half-saved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from services.core.storage import open_database
from tests.integration.helpers import row_counts


class Cli:
    def __init__(self, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = url
        self.capsys = capsys

    def run(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--db", self.url, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str) -> Any:
        code, out, err = self.run(*args, "--json")
        assert code == 0, err
        return json.loads(out)

    def counts(self) -> dict[str, int]:
        db = open_database(self.url)
        try:
            return row_counts(db)
        finally:
            db.dispose()


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_url, capsys)


def test_feed_json_lists_planned_first_then_history(cli: Cli) -> None:
    client = cli.json("clients", "add", "ООО Ромашка", "--phone", "+7 495 123-45-67")
    cid = str(client["id"])
    cli.json(
        "interactions",
        "add",
        "--type",
        "call",
        "--client",
        cid,
        "--at",
        "2026-10-01 10:00",
        "--tz",
        "Europe/Moscow",
    )
    cli.json(
        "interactions",
        "add",
        "--type",
        "email",
        "--client",
        cid,
        "--subject",
        "КП",
        "--at",
        "2026-10-05 12:00",
        "--tz",
        "Europe/Moscow",
    )
    later = cli.json(
        "interactions",
        "add",
        "--type",
        "meeting",
        "--client",
        cid,
        "--planned",
        "--at",
        "2027-01-20 15:00",
        "--tz",
        "Asia/Almaty",
    )
    sooner = cli.json(
        "interactions",
        "add",
        "--type",
        "call",
        "--client",
        cid,
        "--planned",
        "--at",
        "2027-01-10 09:00",
        "--tz",
        "Europe/Moscow",
    )
    result = cli.json(
        "feed", "--client", cid, "--type", "call", "--type", "email", "--type", "meeting"
    )
    items = result["items"]
    assert [i["state"] for i in items] == ["planned", "planned", "done", "done"]
    assert [i["id"] for i in items[:2]] == [sooner["id"], later["id"]]
    assert items[1]["start"] == "2027-01-20T15:00:00+05:00"
    assert {"id", "type", "state", "start"} <= set(items[0])
    assert [i["type"] for i in items[2:]] == ["email", "call"]
    oldest = cli.json(
        "feed", "--client", cid, "--oldest-first", "--type", "call", "--type", "email"
    )["items"]
    # planned stay on top (soonest first) whatever the filter; history flips
    assert [i["type"] for i in oldest] == ["call", "meeting", "call", "email"]


def test_cancel_and_restore_through_the_cli(cli: Cli) -> None:
    cid = str(cli.json("clients", "add", "Acme")["id"])
    iid = str(
        cli.json(
            "interactions",
            "add",
            "--type",
            "call",
            "--client",
            cid,
            "--planned",
            "--at",
            "2027-02-01 10:00",
        )["id"]
    )
    assert cli.json("interactions", "cancel", iid)["state"] == "cancelled"
    feed = cli.json("feed", "--client", cid, "--type", "call")["items"]
    assert [(i["id"], i["state"]) for i in feed] == [(int(iid), "cancelled")]
    assert cli.json("interactions", "restore", iid)["state"] == "planned"
    assert cli.json("feed", "--client", cid, "--upcoming")["items"][0]["id"] == int(iid)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["clients", "add", "   "], "must not be empty"),
        (["clients", "add", "X", "--phone", "12"], "Not a valid phone number"),
        (["clients", "add", "X", "--email", "not-an-email"], "email"),
        (["clients", "add", "X", "--region", "QQ"], "Unknown region"),
        (["clients", "show", "777"], "Client 777 does not exist"),
        (["interactions", "add", "--type", "call", "--client", "1", "--planned"], "needs a date"),
        (["interactions", "add", "--type", "telegram", "--client", "1"], "Unknown interaction"),
        (
            ["interactions", "add", "--type", "call", "--client", "1", "--at", "tomorrow"],
            "Not a start",
        ),
        (["memo", "add", "client", "1", "second"], "already has a memo"),
        (["feed", "--client", "1", "--cursor", "zzz"], "Not a feed cursor"),
        (["import", "contacts", "/nonexistent.vcf"], "No such file"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_changes_nothing(
    cli: Cli, args: list[str], message: str
) -> None:
    cli.json("clients", "add", "Base client")
    cli.json("memo", "add", "client", "1", "first memo")
    before = cli.counts()
    code, _out, err = cli.run(*args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert err.startswith("touchpoint: ")
    assert cli.counts() == before


def test_export_csv_and_calendar(cli: Cli, tmp_path: Path) -> None:
    cid = str(cli.json("clients", "add", '=HYPERLINK("x")')["id"])
    cli.json(
        "interactions",
        "add",
        "--type",
        "call",
        "--client",
        cid,
        "--planned",
        "--at",
        "2027-03-01 10:00",
        "--tz",
        "Europe/Moscow",
        "--body",
        "Обсудить; цены, сроки",
    )
    cli.json("interactions", "add", "--type", "email", "--client", cid, "--subject=-1+1")
    csv_path, ics_path = tmp_path / "i.csv", tmp_path / "p.ics"
    assert cli.json("export", "interactions", str(csv_path))["rows"] == 2
    text = csv_path.read_text("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "'-1+1" in text
    assert cli.json("export", "calendar", str(ics_path))["rows"] == 1
    ics = ics_path.read_bytes().decode()
    assert "DTSTART:20270301T070000Z" in ics
    assert "Обсудить\\; цены\\, сроки" in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    code, _, err = cli.run("export", "calendar", str(tmp_path / "missing" / "x.ics"))
    assert code == 2
    assert "Folder does not exist" in err


def test_the_installed_entry_point_runs_selftest(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("touchpoint")
    root = Path(__file__).resolve().parents[2]  # so the tests' keyring backend imports
    env = dict(os.environ, TOUCHPOINT_DB=str(tmp_path / "st.sqlite3"), PYTHONPATH=str(root))
    proc = subprocess.run(
        [str(exe), "selftest", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["ok"] is True
    assert {c["name"] for c in report["checks"]} >= {
        "storage round trip",
        "phone numbers",
        "working days",
    }
