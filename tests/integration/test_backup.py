"""Backup and restore of the embedded database file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desktop.cli import main


def _run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_backup_then_restore_brings_the_data_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "touchpoint.sqlite3"
    assert _run(capsys, db, "clients", "add", "Before backup")[0] == 0
    saved = tmp_path / "backup.sqlite3"
    code, out, _ = _run(capsys, db, "backup", str(saved), "--json")
    assert code == 0
    assert json.loads(out)["bytes"] > 0
    assert _run(capsys, db, "clients", "add", "After backup")[0] == 0
    code, out, _ = _run(capsys, db, "restore", str(saved), "--json")
    assert code == 0
    kept = Path(json.loads(out)["path"])
    assert kept.is_file()
    _, out, _ = _run(capsys, db, "clients", "list", "--json")
    assert [c["name"] for c in json.loads(out)] == ["Before backup"]
    with sqlite3.connect(kept) as con:  # the replaced database is kept, complete
        names = [r[0] for r in con.execute("SELECT name FROM clients ORDER BY id")]
    con.close()
    assert names == ["Before backup", "After backup"]


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100])
def test_restoring_something_else_is_refused_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    db = tmp_path / "touchpoint.sqlite3"
    assert _run(capsys, db, "clients", "add", "Keep me")[0] == 0
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(content)
    code, _, err = _run(capsys, db, "restore", str(bogus))
    assert code == 2
    assert "not a Touchpoint database" in err or "newer or unknown" in err
    _, out, _ = _run(capsys, db, "clients", "list", "--json")
    assert [c["name"] for c in json.loads(out)] == ["Keep me"]


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_postgresql_database_is_not_backed_up_from_the_app(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code = main(["--db", db_url, "backup", str(tmp_path / "x.sqlite3")])
    _, err = capsys.readouterr()
    assert code == 2
    assert "pg_dump" in err
