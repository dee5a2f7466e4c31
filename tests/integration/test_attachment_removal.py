"""A file taken off its card (SQLite): by whoever may add one there, with a
line of the card's history, the file itself kept for the other rows that
share its content; a colleague without rights is refused and nothing
changes; the Undo puts it back; ``touchpoint attachments`` does the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Attachment, AuditEntry
from services.core.access import PermissionDenied
from services.core.errors import NotFoundError
from services.core.storage import Database
from services.interactions import attachment_files, attachments
from services.interactions import use_cases as interactions
from services.parties import records as parties
from tests.conftest import Team

NAME = "Паспорт Ёжикова (скан).pdf"


def _client(db: Database, team: Team, name: str = "ООО «Ёлка»") -> int:
    with db.uow(team.anna.id) as uow:
        cid = parties.add_client(uow, team.anna, name).id
        uow.commit()
    return cid


def _attach(db: Database, team: Team, tmp_path: Path, cid: int, data: bytes, name: str = NAME):
    source = tmp_path / "disk" / name
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(data)
    return interactions.add_attachment(db, team.anna, "client", cid, str(source)).value


def _names(db: Database, team: Team, cid: int) -> list[str]:
    with db.reader() as uow:
        return [a.filename for a in attachments.list_for(uow, team.anna, "client", cid)]


def _history(db: Database, cid: int) -> list[tuple[str, str | None, str | None, int | None]]:
    with db.reader() as uow:
        rows = uow.session.execute(
            select(AuditEntry.field, AuditEntry.old, AuditEntry.new, AuditEntry.user_id)
            .where(AuditEntry.entity_kind == "client", AuditEntry.entity_id == cid)
            .where(AuditEntry.field.like("attachment%"))
            .order_by(AuditEntry.id)
        )
        return [(r.field, r.old, r.new, r.user_id) for r in rows]


def test_removing_one_of_two_rows_sharing_a_file_keeps_the_other_readable(
    sqlite_db: Database, sqlite_team: Team, tmp_path: Path
) -> None:
    cid = _client(sqlite_db, sqlite_team)
    other = _client(sqlite_db, sqlite_team, "ИП Ёжиков")
    data = "скан паспорта".encode() * 100
    first = _attach(sqlite_db, sqlite_team, tmp_path, cid, data)
    second = _attach(sqlite_db, sqlite_team, tmp_path, other, data, "Копия.pdf")
    assert first.sha256 == second.sha256
    assert first.path == second.path

    made = interactions.remove_attachment(sqlite_db, sqlite_team.anna, first.id)

    gone = made.value
    assert (gone.id, gone.filename, gone.client_id) == (first.id, NAME, cid)
    assert made.changes.removed["attachment"] == {first.id}
    assert ("client", cid) in made.changes.cards
    assert _names(sqlite_db, sqlite_team, cid) == []
    assert _names(sqlite_db, sqlite_team, other) == ["Копия.pdf"]
    copy = attachment_files.save_copy(second, tmp_path / "out.pdf")
    assert copy.read_bytes() == data
    assert _history(sqlite_db, cid) == [("attachment_removed", NAME, None, sqlite_team.anna.id)]


def test_a_colleague_without_rights_is_refused_and_nothing_changes(
    sqlite_db: Database, sqlite_team: Team, tmp_path: Path
) -> None:
    cid = _client(sqlite_db, sqlite_team)
    view = _attach(sqlite_db, sqlite_team, tmp_path, cid, b"private")

    with pytest.raises(PermissionDenied, match="belongs to another manager"):
        interactions.remove_attachment(sqlite_db, sqlite_team.boris, view.id)
    with pytest.raises(NotFoundError):
        interactions.remove_attachment(sqlite_db, sqlite_team.anna, view.id + 100)

    assert _names(sqlite_db, sqlite_team, cid) == [NAME]
    assert _history(sqlite_db, cid) == []
    # an administrator may (as they may add one there)
    interactions.remove_attachment(sqlite_db, sqlite_team.admin, view.id)
    assert _names(sqlite_db, sqlite_team, cid) == []


def test_undo_puts_the_same_file_back_on_its_card(
    sqlite_db: Database, sqlite_team: Team, tmp_path: Path
) -> None:
    cid = _client(sqlite_db, sqlite_team)
    view = _attach(sqlite_db, sqlite_team, tmp_path, cid, b"%PDF-1.4 restored")
    gone = interactions.remove_attachment(sqlite_db, sqlite_team.anna, view.id).value

    again = interactions.undo_remove_attachment(sqlite_db, sqlite_team.anna, gone)

    with sqlite_db.reader() as uow:
        row = uow.session.get(Attachment, again.value)
        assert row is not None
        assert (row.filename, row.sha256, row.size, row.path) == (
            NAME,
            view.sha256,
            view.size,
            f"attachments/{view.sha256[:2]}/{view.sha256}",
        )
        back = attachments.list_for(uow, sqlite_team.anna, "client", cid)
    assert attachment_files.save_copy(back[0], tmp_path / "back.pdf").read_bytes() == (
        b"%PDF-1.4 restored"
    )
    assert [h[0] for h in _history(sqlite_db, cid)] == ["attachment_removed", "attachment_restored"]


def test_the_cli_lists_and_removes_with_json(
    sqlite_db: Database, sqlite_team: Team, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop import cli

    cid = _client(sqlite_db, sqlite_team)
    view = _attach(sqlite_db, sqlite_team, tmp_path, cid, b"cli")
    url = str(sqlite_db.engine.url)
    anna = sqlite_team.anna.login
    base = ["--db", url, "--user", anna]

    assert cli.main([*base, "attachments", "list", "client", str(cid), "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["id"], listed["filename"], listed["size"]) == (view.id, NAME, 3)

    boris = ["--db", url, "--user", sqlite_team.boris.login]
    assert cli.main([*boris, "attachments", "remove", str(view.id)]) == 2
    assert "belongs to another manager" in capsys.readouterr().err
    assert _names(sqlite_db, sqlite_team, cid) == [NAME]

    assert cli.main([*base, "attachments", "remove", str(view.id), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["id"], out["filename"], out["client_id"], out["sha256"]) == (
        view.id,
        NAME,
        cid,
        view.sha256,
    )
    assert _names(sqlite_db, sqlite_team, cid) == []
