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
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from desktop.cli import main
from models import Client
from services.core import server
from services.core.errors import NotFoundError
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


@pytest.mark.postgres
def test_a_card_shared_with_the_manager_or_stood_in_for_is_theirs_on_the_laptop_too(
    team: TeamDb, tmp_path: Path
) -> None:
    """Anna shares one client with Boris (another department) and names him
    her deputy for a week. His replica held her cards (row-level security
    let them down) but the laptop's own access check knew neither the share
    nor the deputy period: "Client … belongs to another manager", and
    nothing of them in his lists. Now both come down with every sync (and
    leave with it), so he works on them offline like on the server."""
    import datetime as dt

    from services.core.access import PermissionDenied
    from services.core.bootstrap import actor_for
    from services.core.storage import Database, open_database
    from services.parties import edit_cases, shares, transfers
    from services.parties import use_cases as parties
    from services.parties.records import list_clients
    from services.sync.use_cases import init_replica, open_server, sync

    server = {who: open_database(team.url_of(who), upgrade=False) for who in ("anna", "boris")}

    def synced(laptop: Database) -> None:
        remote = open_server(laptop)
        try:
            sync(laptop, remote)
        finally:
            remote.dispose()

    anna = team.actor("anna")
    shared = parties.add_client(server["anna"], anna, "ООО «Общее дело»", region="RU").value
    parties.add_client(server["anna"], anna, "АО «Только Анны»", region="RU")
    shares.set_shared(server["anna"], anna, "client", shared.id, team.logins["boris"], shared=True)

    path = tmp_path / "boris.sqlite3"
    init_replica(path, team.url_of("boris"), team.logins["boris"])
    laptop = open_database(f"sqlite:///{path}")
    try:

        def boris_sees() -> list[str]:
            with laptop.reader() as uow:
                me = actor_for(uow, team.logins["boris"])
                return sorted(row.name for row in list_clients(uow, me))

        assert boris_sees() == ["ООО «Общее дело»"]
        with laptop.reader() as uow:
            me = actor_for(uow, team.logins["boris"])
            local = uow.session.scalar(select(Client.id).where(Client.name == "ООО «Общее дело»"))
        assert local is not None
        edit_cases.edit_client(laptop, me, local, address="Ростов, ул. Садовая, 7")

        until = dt.datetime.now(dt.UTC) + dt.timedelta(days=7)
        transfers.set_deputy(server["anna"], anna, team.logins["boris"], until)
        synced(laptop)
        assert boris_sees() == ["АО «Только Анны»", "ООО «Общее дело»"]
        with server["anna"].reader() as uow:
            assert (
                uow.session.scalar(select(Client.address).where(Client.name == "ООО «Общее дело»"))
                == "Ростов, ул. Садовая, 7"
            )

        shares.set_shared(
            server["anna"], anna, "client", shared.id, team.logins["boris"], shared=False
        )
        with team.db.engine.begin() as conn:  # the week is over
            conn.execute(text("UPDATE deputies SET until = now() - interval '1 minute'"))
        synced(laptop)
        assert boris_sees() == []
        with laptop.reader() as uow:
            me = actor_for(uow, team.logins["boris"])
        with pytest.raises((PermissionDenied, NotFoundError)):
            edit_cases.edit_client(laptop, me, local, address="Сочи")
    finally:
        laptop.dispose()
        for db in server.values():
            db.dispose()


@pytest.mark.postgres
def test_pending_counts_what_the_next_sync_pushes(team: TeamDb, tmp_path: Path) -> None:
    """The status bar said "3 pending" after two conflicts were resolved and
    "9 pending" before a sync that reported "pushed 7": it counted changed
    fields, the sync counts actions. One edit of two fields, one resolved
    choice: each is one action pending, as the next sync reports it."""
    from services.parties import edit_cases
    from services.sync.use_cases import open_server, status, sync
    from tests.integration.replica_rig import make_rig

    rig = make_rig(team, tmp_path)
    try:
        laptop = rig.laptop["anna"]
        client = rig.local_id("anna", "client", rig.client_uid)
        edit_cases.edit_client(
            laptop, rig.local_actor("anna"), client, address="Казань, ул. Мира, 3", region="KZ"
        )
        assert status(laptop).pending == 1
        remote = open_server(laptop)
        try:
            report = sync(laptop, remote)
        finally:
            remote.dispose()
        assert (report.pushed, status(laptop).pending) == (1, 0)
    finally:
        rig.dispose()


@pytest.mark.postgres
def test_a_server_that_refuses_the_sync_is_one_sentence_not_a_driver_error(
    team: TeamDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A later `replica sync` whose login the server no longer accepts (here:
    a login renamed away) says so in one line and exit 2, as `init` does,
    and the laptop's pending change stays pending."""
    path = tmp_path / "anna.sqlite3"
    code, _out, err = _run(
        capsys, "replica", "init", "--server", team.url_of("anna"), "--login",
        team.logins["anna"], "--path", str(path),
    )  # fmt: skip
    assert (code, err) == (0, "")
    with sqlite3.connect(path) as conn:
        (url,) = conn.execute("SELECT value FROM sync_state WHERE key = 'server_url'").fetchone()
        gone = make_url(url).set(username="ушедший_логин").render_as_string(False)
        conn.execute("UPDATE sync_state SET value = ? WHERE key = 'server_url'", (gone,))
    code, out, err = _run(capsys, "replica", "sync", "--path", str(path))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "The server refused the login or password" in err
    assert "Traceback" not in err
    assert "psycopg" not in err
