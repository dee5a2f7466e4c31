"""A long import commits in batches, yet stays all or nothing, and never
locks the others out: real processes on one SQLite file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import Client, ImportRun
from services.core import bootstrap
from services.core.storage import Database, open_database
from services.exchange import contact_import
from tests.integration.helpers import row_counts

ROOT = Path(__file__).resolve().parents[2]


def _csv(path: Path, rows: int, prefix: str = "Иван Петров", companies: bool = True) -> Path:
    lines = ["name;email;phone;company"]
    for i in range(rows):
        company = f"ООО Компания {i // 10}" if companies and i % 3 == 0 else ""
        phone = f"+7 916 {i // 10000 % 1000:03d}-{i // 100 % 100:02d}-{i % 100:02d}"
        lines.append(f"{prefix} {i};{prefix.split()[0].lower()}.{i}@example.com;{phone};{company}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cli(url: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "--db", url, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finished(proc: subprocess.Popen[str], timeout: float = 240) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def _imported_so_far(db: Database) -> int:
    with db.reader() as uow:
        return (
            uow.session.scalar(
                select(func.count()).select_from(Client).where(Client.import_id.is_not(None))
            )
            or 0
        )


def _wait_for_rows(db: Database, proc: subprocess.Popen[str], at_least: int) -> None:
    deadline = time.monotonic() + 200
    while _imported_so_far(db) < at_least:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the import wrote nothing"
        time.sleep(0.2)


def test_a_failing_batch_takes_back_the_batches_already_committed(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    before = row_counts(db)
    calls = 0
    real_write = contact_import._Writer.write

    def failing_write(self: contact_import._Writer, uow: object, cards: list[object]) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError("disk gone")
        real_write(self, uow, cards)  # type: ignore[arg-type]

    monkeypatch.setattr(contact_import._Writer, "write", failing_write)
    path = _csv(tmp_path / "six.csv", 6)
    with pytest.raises(OSError, match="disk gone"):
        contact_import.import_contacts(db, actor, path, batch_cards=2)
    assert calls == 3
    assert row_counts(db) == before
    monkeypatch.undo()
    summary = contact_import.import_contacts(db, actor, path, batch_cards=2)
    assert summary.created == 6
    with db.reader() as uow:
        assert uow.session.scalars(select(ImportRun.state)).all() == ["done"]


@pytest.mark.slow
def test_others_work_during_a_long_import_and_a_killed_one_leaves_nothing(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    db = open_database(url)
    bootstrap.ensure_initial_data(db)
    with db.uow() as uow:
        from services.parties import records as parties

        client_id = parties.add_client(uow, bootstrap.actor_for(uow), "ООО Заранее").id
        uow.commit()
    big = _csv(tmp_path / "big.csv", 60_000)
    importer = _cli(url, "import", "contacts", str(big), "--json")
    try:
        _wait_for_rows(db, importer, 1)
        listing = _cli(url, "clients", "list", "--text", "заранее", "--json")
        added = _cli(
            url,
            "interactions",
            "add",
            "--type",
            "call",
            "--client",
            str(client_id),
            "--at",
            "2026-10-01 10:00",
            "--json",
        )
        copy = _cli(url, "backup", str(tmp_path / "backup.sqlite3"), "--json")
        start = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from services.core import bootstrap; "
                "from services.core.storage import open_database; "
                "db = open_database(sys.argv[1]); bootstrap.ensure_initial_data(db); print('ok')",
                url,
            ],
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        code, out, err = _finished(listing)
        assert code == 0, err
        assert [c["name"] for c in json.loads(out)] == ["ООО Заранее"]
        code, out, err = _finished(added)
        assert code == 0, err
        code, out, err = _finished(copy)
        assert code == 0, err
        assert json.loads(out)["bytes"] > 0
        code, out, err = _finished(start)
        assert (code, out.strip()) == (0, "ok"), err
        # All of that ran while the import was still going.
        assert importer.poll() is None, "the import finished first: make the file bigger"
        before_kill = _imported_so_far(db)
        importer.send_signal(signal.SIGKILL)
    finally:
        if importer.poll() is None:
            importer.kill()
        importer.communicate(timeout=60)  # reaps it and closes its pipes
    assert before_kill > 0
    # The next start (any command, another process) undoes the dead run.
    code, out, err = _finished(_cli(url, "clients", "list", "--json"))
    assert code == 0, err
    assert [c["name"] for c in json.loads(out)] == ["ООО Заранее"]
    assert _imported_so_far(db) == 0
    small = _csv(tmp_path / "small.csv", 3, prefix="Анна Смирнова", companies=False)
    code, out, err = _finished(_cli(url, "import", "contacts", str(small), "--json"))
    assert code == 0, err
    assert json.loads(out)["created"] == 3
    with db.reader() as uow:
        names = uow.session.scalars(select(Client.name).order_by(Client.id)).all()
        runs = uow.session.scalars(select(ImportRun.state)).all()
    assert names == ["ООО Заранее", "Анна Смирнова 0", "Анна Смирнова 1", "Анна Смирнова 2"]
    assert runs == ["done"]
    db.dispose()


def test_a_dead_run_that_cannot_be_undone_does_not_stop_a_start(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A colleague's note on a client of a killed import: the start goes on."""
    from services.exchange import import_runs
    from services.interactions import notes

    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    contact_import.import_contacts(db, actor, _csv(tmp_path / "one.csv", 1, companies=False))
    with db.uow(actor.id) as uow:
        run = uow.session.scalars(select(ImportRun)).one()
        run.state, run.pid, run.host = "running", 2**22 + 12345, import_runs._host()
        client_id = uow.session.scalars(select(Client.id)).one()
        notes.add_note(uow, actor, "client", client_id, "Заметка коллеги")
        uow.commit()
    assert import_runs.sweep(db) == 0  # refused by the note's reference, logged
    assert "could not be undone" in caplog.text
    assert _imported_so_far(db) == 1
