"""The clean-up of attached files (SQLite): a file no attachment names is
deleted only after the grace period; a file another row names, one renewed
by an add, and one an add renews while the sweep is deciding are kept; so
is a file no removal on this computer let go of, and one another database
of the data folder names (the data folder is shared by every database its
user opens)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from services.core import bootstrap
from services.core.paths import data_dir
from services.core.storage import Database, open_database
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
        _age(Path(view.path), NOW - cleanup.FILE_GRACE + dt.timedelta(minutes=5))

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
    _age(Path(view.path), NOW - 2 * cleanup.FILE_GRACE)
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
    old = dt.datetime.now(dt.UTC) - 2 * cleanup.FILE_GRACE
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
    _age(stored_path(view.sha256), NOW - 2 * cleanup.FILE_GRACE)
    interactions.undo_remove_attachment(sqlite_db, sqlite_team.anna, gone)
    age = dt.datetime.now(dt.UTC) - dt.datetime.fromtimestamp(
        stored_path(view.sha256).stat().st_mtime, dt.UTC
    )
    assert age < cleanup.FILE_GRACE


def test_the_job_is_not_due_while_no_file_is_stored(sqlite_db: Database) -> None:
    with sqlite_db.reader() as uow:
        (kind,) = [k for k in registry.KINDS if k.name == "attachment_files"]
        (spec,) = kind.find(uow, registry.Scope())
    assert spec.wanted_at is None


def test_a_file_no_removal_here_let_go_of_is_kept(
    sqlite_db: Database, sqlite_team: Team, tmp_path: Path
) -> None:
    """Another database (a demo, a --db file, a backup to restore) wrote it
    into the same data folder: the open one does not name it, yet it is
    not this database's to delete."""
    cid = _client(sqlite_db, sqlite_team)
    view = _attach(sqlite_db, sqlite_team, tmp_path, cid, "чужой".encode(), "Чужой.pdf")
    _age(Path(view.path), NOW - 2 * cleanup.FILE_GRACE)
    other = open_database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    try:
        bootstrap.ensure_initial_data(other)
        assert cleanup.run(other, NOW) == cleanup.CleanupReport(0, 0, 0)
    finally:
        other.dispose()
    assert Path(view.path).read_bytes() == "чужой".encode()


def test_a_file_the_data_folders_embedded_database_names_is_kept(
    sqlite_db: Database, sqlite_team: Team, tmp_path: Path
) -> None:
    """A demo database (opened with --db) removes its copy of a file the
    user's own embedded database also names: the file stays for it; once
    that row goes too, the next pass deletes it."""
    embedded = open_database(f"sqlite:///{data_dir() / 'touchpoint.sqlite3'}")
    demo = sqlite_db  # a file outside the data folder
    try:
        bootstrap.ensure_initial_data(embedded)
        with embedded.reader() as uow:
            me = bootstrap.actor_for(uow)
        with embedded.uow(me.id) as uow:
            mine = parties.add_client(uow, me, "ООО «Настоящий»").id
            uow.commit()
        source = tmp_path / "Договор.pdf"
        source.write_bytes("настоящий договор".encode())
        kept = interactions.add_attachment(embedded, me, "client", mine, str(source)).value
        cid = _client(demo, sqlite_team)
        copy = _attach(demo, sqlite_team, tmp_path, cid, "настоящий договор".encode(), "Д.pdf")
        assert copy.path == kept.path
        interactions.remove_attachment(demo, sqlite_team.anna, copy.id)
        _age(Path(kept.path), NOW - 2 * cleanup.FILE_GRACE)

        assert cleanup.sweep_files(demo, NOW) == (1, 0)
        assert Path(kept.path).read_bytes() == "настоящий договор".encode()

        interactions.remove_attachment(embedded, me, kept.id)
        assert cleanup.sweep_files(demo, NOW) == (1, 1)
        assert not Path(kept.path).exists()
    finally:
        embedded.dispose()


def test_an_unreadable_database_file_in_the_data_folder_keeps_every_file(
    sqlite_db: Database, sqlite_team: Team, tmp_path: Path
) -> None:
    cid = _client(sqlite_db, sqlite_team)
    view = _attach(sqlite_db, sqlite_team, tmp_path, cid, b"kept", "Kept.txt")
    interactions.remove_attachment(sqlite_db, sqlite_team.anna, view.id)
    _age(Path(view.path), NOW - 2 * cleanup.FILE_GRACE)
    (data_dir() / "replica.sqlite3").write_bytes(b"not a database at all")
    assert cleanup.sweep_files(sqlite_db, NOW) == (1, 0)
    assert Path(view.path).read_bytes() == b"kept"


def _leftovers(digest: str) -> dict[str, Path]:
    folder = stored_path(digest).parent
    folder.mkdir(parents=True, exist_ok=True)
    made = {
        "part": folder / f"{digest}.part",
        "clean": folder / f"{digest}.4242.clean",
        "download": folder / f"{digest}.4243.download",
    }
    for path in made.values():
        path.write_bytes("полфайла".encode())
    return made


def test_crash_leftovers_go_after_a_day_and_nothing_else(
    sqlite_db: Database, sqlite_team: Team, tmp_path: Path
) -> None:
    """A crash's ``.part``, ``.download`` and ``.clean`` files of stored
    files are deleted by the job once a day has passed since they were last
    written or renamed; young ones (a running copy, download or sweep), the
    stored files and anything else in the folder stay. Fails on the old code
    (nothing deleted them)."""
    digest = "ab" + "0" * 62
    made = _leftovers(digest)
    stored = stored_path(digest)
    stored.write_bytes(b"stored")
    others = [
        stored.parent / "Договор.part",  # not a stored file's
        stored.parent / f"{digest}.txt",
        stored.parent / f"{digest}.x.clean",
        stored.parent / f"{'cd' + '0' * 62}.part",  # in another file's folder
    ]
    for path in others:
        path.write_bytes(b"mine")
    (stored.parent / f"{'ab' + '1' * 62}.part").mkdir()
    now = dt.datetime.now(dt.UTC)
    assert cleanup.sweep_leftovers(now) == 0  # just written: in use
    assert all(p.exists() for p in made.values())

    report = cleanup.run(sqlite_db, now + cleanup.LEFTOVER_AGE + dt.timedelta(minutes=5))

    assert report.leftovers == 3
    assert not any(p.exists() for p in made.values())
    assert stored.read_bytes() == b"stored"
    assert all(p.exists() for p in others)
    assert (stored.parent / f"{'ab' + '1' * 62}.part").is_dir()


def test_a_file_set_aside_just_now_is_young_whatever_its_age(tmp_path: Path) -> None:
    """A sweep renames a month-old file aside before it decides: the rename
    makes it young, so another computer's or database's pass keeps it."""
    digest = "ef" + "2" * 62
    stored = stored_path(digest)
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(b"old")
    _age(stored, NOW - dt.timedelta(days=60))
    aside = stored.with_name(f"{digest}.{os.getpid()}.clean")
    os.replace(stored, aside)
    assert cleanup.sweep_leftovers(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)) == 0
    assert aside.exists()


def test_a_pass_deletes_a_bounded_number_of_leftovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cleanup, "LEFTOVER_MAX", 2)
    made = _leftovers("12" + "3" * 62)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    assert cleanup.sweep_leftovers(later) == 2
    assert cleanup.sweep_leftovers(later) == 1
    assert not any(p.exists() for p in made.values())
