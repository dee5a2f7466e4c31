"""A busy database: a second writer waits for the first and, past a limit,
gets a clear DatabaseBusy (exit 2 in the CLI), never a raw OperationalError.

The first writer is another real process holding SQLite's write lock on the
same file, as a second Touchpoint window or a cron ``run-due`` would.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.cli import main
from models import Client
from services.core import bootstrap, storage
from services.core.errors import DatabaseBusy
from services.core.storage import Database, open_database
from services.parties import records as parties

HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO settings (key, value) VALUES ('holder', 'был первым')")
print("locked", flush=True)
sys.stdin.readline()  # hold the lock until the test says so
conn.execute("COMMIT")
"""


class Holder:
    """Another process that holds the database's write lock until released."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
        self.proc.communicate(timeout=30)
        assert self.proc.returncode == 0


@pytest.fixture
def path(sqlite_db: Database) -> Path:
    name = sqlite_db.engine.url.database
    assert name
    return Path(name)


@pytest.fixture
def holder(path: Path) -> Iterator[Holder]:
    held = Holder(path)
    yield held
    held.release()


def add_client(db: Database, name: str) -> None:
    with db.uow() as uow:
        parties.add_client(uow, bootstrap.actor_for(uow), name)
        uow.commit()


def names(db: Database) -> list[str]:
    with db.reader() as uow:
        return list(uow.session.scalars(select(Client.name).order_by(Client.id)))


def holder_row(db: Database) -> str | None:
    from models import Setting

    with db.reader() as uow:
        return uow.session.scalar(select(Setting.value).where(Setting.key == "holder"))


@pytest.mark.parametrize(
    "held_s",
    [0.3, storage.SQLITE_BUSY_TIMEOUT_MS / 1000 + 0.5],
    ids=["within SQLite's own wait", "after a retry with backoff"],
)
def test_a_second_writer_waits_and_succeeds_when_the_first_finishes_soon(
    path: Path, held_s: float, caplog: pytest.LogCaptureFixture
) -> None:
    import logging
    import threading

    caplog.set_level(logging.INFO, logger="services.core.storage")
    db = open_database(str(path), busy_wait_s=60)
    holder = Holder(path)
    # The other program finishes while our write waits on the lock.
    releaser = threading.Timer(held_s, holder.release)
    releaser.start()
    try:
        add_client(db, "ООО Ромашка")
    finally:
        releaser.join()
    assert names(db) == ["ООО Ромашка"]
    assert holder_row(db) == "был первым"  # ours went in after theirs
    retried = any("trying again" in r.getMessage() for r in caplog.records)
    assert retried == (held_s * 1000 > storage.SQLITE_BUSY_TIMEOUT_MS)
    db.dispose()


def test_a_writer_that_waits_too_long_gets_database_busy_and_nothing_is_saved(
    path: Path,
) -> None:
    db = open_database(str(path), busy_wait_s=0.5)
    holder = Holder(path)
    with pytest.raises(DatabaseBusy, match="database is busy") as caught:
        add_client(db, "ООО Ромашка")
    assert "try again" in str(caught.value)
    holder.release()
    assert names(db) == []
    assert holder_row(db) == "был первым"
    add_client(db, "ООО Ромашка")  # the same action works once the lock is free
    assert names(db) == ["ООО Ромашка"]
    db.dispose()


def test_reads_do_not_wait_for_a_writer(path: Path, holder: Holder) -> None:
    db = open_database(str(path), busy_wait_s=0.5, upgrade=False)
    assert names(db) == []
    assert holder_row(db) is None  # WAL: readers see the last commit, no lock needed
    db.dispose()


def test_the_cli_says_the_database_is_busy_and_exits_2(
    path: Path, holder: Holder, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "BUSY_WAIT_S", 0.5)
    code = main(["--db", str(path), "clients", "add", "ООО Ромашка", "--json"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.startswith("touchpoint: The database is busy")
    assert "Traceback" not in err
    holder.release()
    assert main(["--db", str(path), "clients", "add", "ООО Ромашка", "--json"]) == 0
