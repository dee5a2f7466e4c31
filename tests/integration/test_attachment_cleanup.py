"""The clean-up of attached files (SQLite): a file no attachment names is
deleted only after the grace period; a file another row names, one renewed
by an add, and one an add renews while the sweep is deciding are kept."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from services.core.storage import Database
from services.interactions import attachment_cleanup as cleanup
from services.interactions import use_cases as interactions
from services.interactions.attachment_blobs import stored_path
from services.jobs import registry
from services.mail.attachment_files import save_attachment
from services.parties import records as parties
from tests.conftest import Team

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


def _client(db: Database, team: Team) -> int:
    with db.uow(team.anna.id) as uow:
        cid = parties.add_client(uow, team.anna, "ООО «Ёлка»").id
        uow.commit()
    return cid


def _attach(db: Database, team: Team, tmp_path: Path, cid: int, data: bytes, name: str):
    source = tmp_path / "disk" / name
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(data)
    return interactions.add_attachment(db, team.anna, "client", cid, str(source)).value


def _age(path: Path, when: dt.datetime) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))


def test_an_unnamed_file_goes_only_after_the_grace_period(
    sqlite_db: Database, sqlite_team: Team, tmp_path: Path
) -> None:
    cid = _client(sqlite_db, sqlite_team)
    shared = _attach(sqlite_db, sqlite_team, tmp_path, cid, "общий".encode(), "Договор.pdf")
    _attach(sqlite_db, sqlite_team, tmp_path, cid, "общий".encode(), "Копия договора.pdf")
    alone = _attach(sqlite_db, sqlite_team, tmp_path, cid, "паспорт".encode(), "Паспорт.jpg")
    interactions.remove_attachment(sqlite_db, sqlite_team.anna, shared.id)
    interactions.remove_attachment(sqlite_db, sqlite_team.anna, alone.id)
    for view in (shared, alone):
        _age(Path(view.path), NOW - cleanup.GRACE + dt.timedelta(minutes=5))

    assert cleanup.run(sqlite_db, NOW) == cleanup.CleanupReport(0, 0, 0)  # too young
    assert Path(alone.path).exists()

    later = NOW + dt.timedelta(minutes=10)
    report = cleanup.run(sqlite_db, later)

    assert report == cleanup.CleanupReport(checked=2, removed=1, blobs_removed=0)
    assert not Path(alone.path).exists()
    assert Path(shared.path).read_bytes() == "общий".encode()  # the copy's row names it
    assert not list(Path(alone.path).parent.glob("*.clean"))
    # the job is due again EVERY after this pass, on this computer
    with sqlite_db.reader() as uow:
        (kind,) = [k for k in registry.KINDS if k.name == "attachment_files"]
        (spec,) = kind.find(uow, registry.Scope())
    assert spec.wanted_at == later + cleanup.EVERY


def test_an_add_of_the_same_content_renews_the_file(
    sqlite_db: Database, sqlite_team: Team, tmp_path: Path
) -> None:
    cid = _client(sqlite_db, sqlite_team)
    view = _attach(sqlite_db, sqlite_team, tmp_path, cid, b"%PDF scan", "Скан.pdf")
    interactions.remove_attachment(sqlite_db, sqlite_team.anna, view.id)
    _age(Path(view.path), NOW - 2 * cleanup.GRACE)
    save_attachment(b"%PDF scan")  # an add writing the file before its row
    # (its mtime is the real clock's now; the sweep runs "a day later" than that)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    assert cleanup.sweep_files(sqlite_db, soon) == (0, 0)
    assert Path(view.path).exists()


def test_an_add_that_renews_the_file_while_the_sweep_decides_keeps_it(
    sqlite_db: Database, sqlite_team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = _client(sqlite_db, sqlite_team)
    view = _attach(sqlite_db, sqlite_team, tmp_path, cid, "в полёте".encode(), "Счёт.pdf")
    interactions.remove_attachment(sqlite_db, sqlite_team.anna, view.id)
    old = dt.datetime.now(dt.UTC) - 2 * cleanup.GRACE
    _age(Path(view.path), old)
    asked = cleanup._named

    def add_meanwhile(uow, digests):  # the add's file write lands between the count and the delete
        found = asked(uow, digests)
        save_attachment("в полёте".encode())
        return found

    monkeypatch.setattr(cleanup, "_named", add_meanwhile)
    assert cleanup.sweep_files(sqlite_db, dt.datetime.now(dt.UTC)) == (1, 0)
    assert Path(view.path).read_bytes() == "в полёте".encode()
    # and the row that add commits is readable
    again = _attach(sqlite_db, sqlite_team, tmp_path, cid, "в полёте".encode(), "Счёт.pdf")
    assert Path(again.path).exists()


def test_undo_renews_the_file(sqlite_db: Database, sqlite_team: Team, tmp_path: Path) -> None:
    cid = _client(sqlite_db, sqlite_team)
    view = _attach(sqlite_db, sqlite_team, tmp_path, cid, b"undo", "Undo.txt")
    gone = interactions.remove_attachment(sqlite_db, sqlite_team.anna, view.id).value
    _age(stored_path(view.sha256), NOW - 2 * cleanup.GRACE)
    interactions.undo_remove_attachment(sqlite_db, sqlite_team.anna, gone)
    age = dt.datetime.now(dt.UTC) - dt.datetime.fromtimestamp(
        stored_path(view.sha256).stat().st_mtime, dt.UTC
    )
    assert age < cleanup.GRACE


def test_the_job_is_not_due_while_no_file_is_stored(sqlite_db: Database) -> None:
    with sqlite_db.reader() as uow:
        (kind,) = [k for k in registry.KINDS if k.name == "attachment_files"]
        (spec,) = kind.find(uow, registry.Scope())
    assert spec.wanted_at is None
