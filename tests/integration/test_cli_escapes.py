"""Nothing from outside reaches the terminal as a command: the CLI escapes
control characters in all it prints, and names with them are refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli_output import escape_controls
from tests.integration.test_cli import Cli

TITLE = "\x1b]0;owned\x07"  # OSC: retitles the terminal
CLEAR = "\x1b[2J"  # CSI: clears the screen
C1 = "\x9b31m"  # the 8-bit CSI


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_url, capsys)


def _raw_controls(text: str) -> list[str]:
    return [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F]


@pytest.mark.parametrize("kind", ["clients", "leads"])
def test_names_with_control_characters_are_refused(cli: Cli, kind: str) -> None:
    before = cli.counts()
    code, out, err = cli.run(kind, "add", f"ООО Ромашка{CLEAR}")
    assert code == 2
    assert "control character" in err
    assert _raw_controls(out + err) == []
    assert cli.counts() == before


def test_a_deal_title_with_an_escape_is_refused(cli: Cli) -> None:
    client = cli.json("clients", "add", "ООО Ромашка")["id"]
    code, _out, err = cli.run("deals", "add", "--client", str(client), f"Поставка{TITLE}")
    assert code == 2
    assert "control character" in err
    assert _raw_controls(err) == []


def test_a_csv_header_with_terminal_escapes_is_printed_escaped(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(
        f"{TITLE}Имя{CLEAR},Почта{C1}\nИван Петров,ivan@example.com\n", encoding="utf-8"
    )
    for json_flag in ((), ("--json",)):
        code, out, err = cli.run("import", "contacts", str(path), *json_flag)
        assert code == 2
        assert "unrecognised CSV columns" in err
        assert "owned" in err  # the column is named, visibly
        assert _raw_controls(out + err) == []


def test_stored_text_with_escapes_is_printed_escaped(cli: Cli) -> None:
    client = cli.json("clients", "add", "ООО Ромашка")["id"]
    subject = f"Звонок{TITLE}"
    cli.json("interactions", "add", "--client", str(client), "--type", "call", "--subject", subject)
    code, out, err = cli.run("feed", "--client", str(client))
    assert code == 0, err
    assert "Звонок\\u001b]0;owned\\u0007" in out
    assert _raw_controls(out) == []
    items = cli.json("feed", "--client", str(client))["items"]
    assert subject in [item["title"] for item in items]  # JSON keeps the exact text


def test_escaping_keeps_lines_tabs_and_json() -> None:
    assert escape_controls("a\tb\nc") == "a\tb\nc"
    assert escape_controls(f"{CLEAR}x\r") == "\\u001b[2Jx\\u000d"
    assert json.loads(escape_controls(json.dumps({"n": f"{C1}\u202e"}, ensure_ascii=False))) == {
        "n": f"{C1}\u202e"
    }


def test_a_crafted_argument_is_not_echoed_raw(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "--db", url, "nope" + CLEAR],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert _raw_controls(proc.stdout + proc.stderr) == []
