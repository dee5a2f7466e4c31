"""A task's and a note's history through ``touchpoint history task|note``:
who, when, old → new, read by whoever sees the card they are on, a removed
one's too; a colleague's card, a foreign id and hostile ids are refused in
one line."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import delete, update

from desktop.cli import main
from models import Note, Role, User
from services.core import bootstrap
from services.core import history as record_history
from services.core.access import MANAGER_PERMISSIONS, Actor, Permission, PermissionDenied
from services.core.errors import NotFoundError
from services.core.storage import Database
from services.interactions import use_cases as interactions
from services.parties import records as parties
from tests.conftest import Team
from tests.integration.helpers import acting_as


def _runner(db_url: str, login: str, capsys: pytest.CaptureFixture[str]) -> Any:
    def run(*more: str, code: int = 0) -> Any:
        capsys.readouterr()
        assert main([*acting_as(db_url, login), *more, "--json"]) == code
        out = capsys.readouterr()
        return json.loads(out.out) if code == 0 else out.err

    return run


def _client(db: Database, owner: Actor, name: str) -> int:
    with db.uow(owner.id) as uow:
        cid = parties.add_client(uow, owner, name).id
        uow.commit()
    return cid


def _head(db: Database) -> Actor:
    """Глеб heads Anna's department: he sees her cards."""
    with db.uow() as uow:
        role = Role(
            name="Head of department",
            permissions=[*MANAGER_PERMISSIONS, Permission.CLIENTS_VIEW_DEPARTMENT.value],
        )
        uow.session.add(role)
        uow.session.flush()
        uow.session.add(
            User(login="gleb", full_name="Глеб Начальников", role_id=role.id, department="Север")
        )
        uow.session.execute(update(User).where(User.login == "anna").values(department="Север"))
        uow.commit()
    with db.reader() as uow:
        return bootstrap.actor_for(uow, "gleb")


def test_a_tasks_history_names_who_changed_what_and_outlives_its_removal(
    db_url: str, db: Database, team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    cid = _client(db, team.anna, "ООО «Ёлка»")
    tid = interactions.add_task(db, team.anna, "client", cid, "Позвонить Ёжикову").value
    deadline = dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC)
    interactions.edit_task(
        db, team.anna, tid, title="Позвонить Ёжикову в пятницу", deadline=deadline
    )
    interactions.edit_task(db, team.admin, tid, assignee_id=team.boris.id)

    anna = _runner(db_url, "anna", capsys)
    entries = anna("history", "task", str(tid))
    changes = {e["field"]: (e["old"], e["new"], e["user"]) for e in entries}
    assert changes["created"] == (None, "Позвонить Ёжикову", "Анна Смирнова")
    assert changes["title"] == (
        "Позвонить Ёжикову",
        "Позвонить Ёжикову в пятницу",
        "Анна Смирнова",
    )
    assert changes["assignee"][1:] == ("Борис Петров", team.admin.full_name)
    assert changes["deadline"][1] == deadline.isoformat()
    assert set(entries[0]) == {"id", "at", "user", "field", "old", "new", "old_raw", "new_raw"}
    assert entries[-1]["field"] == "created"  # newest first

    interactions.remove_task(db, team.anna, tid)
    after = anna("history", "task", str(tid))
    assert after[0]["field"] == "removed"
    assert after[0]["old"] == "Позвонить Ёжикову в пятницу"
    assert after[1:] == entries
    # Boris is its assignee, but the card is Anna's: the history is the card's
    boris = _runner(db_url, "boris", capsys)
    assert "another manager" in boris("history", "task", str(tid), code=2)

    capsys.readouterr()
    assert main([*acting_as(db_url, "anna"), "history", "task", str(tid)]) == 0
    out = capsys.readouterr().out
    assert "removed: Позвонить Ёжикову в пятницу" in out
    assert "title: Позвонить Ёжикову → Позвонить Ёжикову в пятницу" in out


def test_a_notes_history_is_read_by_who_sees_its_card(
    sqlite_db: Database, sqlite_team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    db, team = sqlite_db, sqlite_team
    url = str(db.engine.url)
    cid = _client(db, team.anna, "ООО «Ёлка»")
    nid = interactions.add_note(db, team.anna, "client", cid, "Счёт\nна ёлки @boris").value
    interactions.edit_note(db, team.admin, nid, "Счёт на ёлки выставлен")
    gleb = _head(db)
    for reader in (team.anna, gleb, team.admin):
        with db.reader() as uow:
            entries = record_history.history(uow, reader, "note", nid)
        assert [(e.field, e.old, e.new, e.user) for e in entries] == [
            ("body", "Счёт\nна ёлки @boris", "Счёт на ёлки выставлен", team.admin.full_name),
            ("created", None, "Счёт\nна ёлки @boris", "Анна Смирнова"),
        ], reader.login
    with db.reader() as uow, pytest.raises(PermissionDenied, match="another manager"):
        record_history.history(uow, team.boris, "note", nid)

    interactions.remove_note(db, team.anna, nid)
    with db.reader() as uow:
        assert record_history.history(uow, gleb, "note", nid)[0].old == "Счёт на ёлки выставлен"
    err = _runner(url, "boris", capsys)("history", "note", str(nid), code=2)
    assert "another manager" in err
    assert len(err.strip().splitlines()) == 1
    capsys.readouterr()
    assert main(["--db", url, "--user", "anna", "history", "note", str(nid)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3  # removed, body, created: a note's lines joined into one
    assert lines[-1].endswith("created: Счёт на ёлки @boris")


def test_a_reused_id_shows_only_its_own_records_history(
    sqlite_db: Database, sqlite_team: Team
) -> None:
    """SQLite gives the newest removed note's id to the next note: a
    colleague's new note must not show the removed one's words."""
    db, team = sqlite_db, sqlite_team
    anna_client = _client(db, team.anna, "ООО «Ёлка»")
    boris_client = _client(db, team.boris, "ООО «Берёза»")
    nid = interactions.add_note(db, team.anna, "client", anna_client, "Тайна Анны").value
    interactions.remove_note(db, team.anna, nid)
    again = interactions.add_note(db, team.boris, "client", boris_client, "Заметка Бориса").value
    assert again == nid  # the trap this test is about
    with db.reader() as uow:
        entries = record_history.history(uow, team.boris, "note", nid)
        assert [(e.field, e.new) for e in entries] == [("created", "Заметка Бориса")]
        with pytest.raises(PermissionDenied):
            record_history.history(uow, team.anna, "note", nid)
    interactions.remove_note(db, team.boris, nid)
    with db.reader() as uow:
        entries = record_history.history(uow, team.boris, "note", nid)
    assert [(e.field, e.old) for e in entries] == [
        ("removed", "Заметка Бориса"),
        ("created", None),
    ]


def test_a_reused_id_after_a_removal_without_its_line_starts_at_its_creation(
    sqlite_db: Database, sqlite_team: Team
) -> None:
    """A replica removes a note the server removed without a "removed" line
    (Core statements, services/sync/removal.py): the next note given its id
    still shows only its own lines."""
    db, team = sqlite_db, sqlite_team
    anna_client = _client(db, team.anna, "ООО «Ёлка»")
    boris_client = _client(db, team.boris, "ООО «Берёза»")
    nid = interactions.add_note(db, team.anna, "client", anna_client, "Тайна Анны").value
    interactions.edit_note(db, team.anna, nid, "Тайна Анны, вторая редакция")
    with db.uow() as uow:
        uow.session.execute(delete(Note).where(Note.id == nid))
        uow.commit()
    again = interactions.add_note(db, team.boris, "client", boris_client, "Заметка Бориса").value
    assert again == nid
    with db.reader() as uow:
        entries = record_history.history(uow, team.boris, "note", nid)
    assert [(e.field, e.new) for e in entries] == [("created", "Заметка Бориса")]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["note", "abc"], "not a whole number"),
        (["task", "1.5"], "not a whole number"),
        (["note", "99999999999999999999"], ""),
        (["note", "999999"], "does not exist"),
        (["task", "0"], "does not exist"),
        (["memo", "1"], "invalid choice"),
    ],
)
def test_hostile_ids_are_refused_in_one_line(
    sqlite_db: Database,
    sqlite_team: Team,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    words: str,
) -> None:
    url = str(sqlite_db.engine.url)
    capsys.readouterr()
    assert main(["--db", url, "--user", "anna", "history", *args]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert words in err


def test_a_record_never_made_is_not_found(sqlite_db: Database, sqlite_team: Team) -> None:
    with sqlite_db.reader() as uow:
        for kind in ("task", "note"):
            with pytest.raises(NotFoundError):
                record_history.history(uow, sqlite_team.admin, kind, 424242)
