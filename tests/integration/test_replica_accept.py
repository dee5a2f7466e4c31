"""The acceptance walk of the laptop replica (#20): what a field manager and
an administrator met by hand, each kept as the test that failed first.

Real PostgreSQL (a team database), real SQLite replica files, the CLI as a
user types it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from desktop.cli import main
from services.core import server
from tests.integration.team_rls_helpers import TeamDb, make_team

PASSWORD = "Zv3zda-Sekret-77"


@pytest.fixture
def team(pg_admin_url: str, pg_template: str) -> Iterator[TeamDb]:
    from tests.conftest import _fresh_pg

    tdb = make_team(_fresh_pg(pg_admin_url, pg_template))
    yield tdb
    tdb.dispose()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.postgres
def test_a_password_typed_into_the_server_url_is_kept_only_in_the_keyring(
    team: TeamDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`replica init --server postgresql://anna:secret@host/db` (the way a
    psql user writes it): the password goes to the keyring like
    --password-stdin's, and neither the replica file, its status nor the
    JSON shows it."""
    path = tmp_path / "anna.sqlite3"
    url = make_url(team.url_of("anna")).set(password=PASSWORD).render_as_string(False)
    code, out, err = _run(
        capsys, "replica", "init", "--server", url, "--login", team.logins["anna"],
        "--path", str(path), "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert PASSWORD not in out
    status: dict[str, Any] = json.loads(out)
    assert status["is_replica"] is True
    assert make_url(status["server_url"]).password is None
    with sqlite3.connect(path) as conn:
        kept = dict(conn.execute("SELECT key, value FROM sync_state").fetchall())
    assert PASSWORD not in json.dumps(kept)
    assert PASSWORD.encode() not in path.read_bytes()
    saved = make_url(server.with_keyring_password(make_url(kept["server_url"])))
    assert saved.password == PASSWORD

    code, out, err = _run(capsys, "replica", "status", "--path", str(path))
    assert code == 0
    assert PASSWORD not in out + err
    code, out, err = _run(capsys, "replica", "sync", "--path", str(path), "--json")
    assert (code, err) == (0, "")
    assert PASSWORD not in out


@pytest.mark.parametrize("content", [b"hello\n", bytes(range(256)) * 20])
@pytest.mark.parametrize("action", ["status", "sync", "conflicts"])
def test_a_file_that_is_not_a_database_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, action: str
) -> None:
    """A replica path pointing at a text file or at noise is refused in one
    line (it was a traceback and exit 1), and the file is left as it was."""
    path = tmp_path / "not-a-replica.sqlite3"
    path.write_bytes(content)
    code, out, err = _run(capsys, "replica", action, "--path", str(path), "--json")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("touchpoint: ")
    assert "not a database" in err
    assert path.read_bytes() == content


def test_the_same_file_given_as_the_database_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Заметки, не база\n", encoding="utf-8")
    code, out, err = _run(capsys, "--db", str(path), "clients", "list", "--json")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert "not a database" in err
    assert path.read_text(encoding="utf-8") == "Заметки, не база\n"


def test_ctrl_c_during_a_command_is_one_line_and_exit_130(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C in a long `replica sync` printed a 135-line traceback. What was
    committed stays (each pushed action and each pulled batch commits whole,
    and the next sync resumes: the SIGINT walk in docs/offline-sync.md);
    the user reads one line and the shell's usual 130."""
    from desktop import cli_replica

    def interrupted(args: Any, emit: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setitem(cli_replica.ACTIONS, "sync", interrupted)
    code, out, err = _run(capsys, "replica", "sync", "--path", str(tmp_path / "r.sqlite3"))
    assert (code, out) == (130, "")
    assert err == "touchpoint: interrupted; what was saved before stays saved\n"
