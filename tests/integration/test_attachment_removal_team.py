"""Removing an attachment on a team PostgreSQL and on laptop replicas: a
colleague's row that shares the file keeps it readable (also on another
computer, from the server); a manager who does not see the card cannot
remove it and changes nothing; a removal on a laptop reaches the server and
the other laptop, one on the server leaves the laptops."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Attachment, AuditEntry
from services.core.errors import NotFoundError
from services.core.storage import Database
from services.interactions import attachment_cleanup as cleanup
from services.interactions import attachment_fetch, attachments
from services.interactions import use_cases as interactions
from services.interactions.attachment_blobs import stored_path
from services.parties import use_cases as parties
from services.sync.use_cases import sync
from tests.integration.replica_rig import Rig, sync_all
from tests.integration.team_fixtures import logins_fixture, team_fixture  # noqa: F401 - fixtures
from tests.integration.team_rls_helpers import TeamDb

pytestmark = pytest.mark.postgres

NAME = "Скан паспорта — Ёжиков.pdf"
NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


def _computer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str) -> None:
    monkeypatch.setenv("TOUCHPOINT_DATA_DIR", str(tmp_path / name))


def _attach(team: TeamDb, db: Database, who: str, tmp_path: Path, data: bytes) -> tuple[int, int]:
    """``who``'s new client with the file on it: (client id, attachment id)."""
    me = team.actor(who)
    client = parties.add_client(db, me, f"ООО «Ландыш» {who}", region="RU").value
    source = tmp_path / f"disk-{who}" / NAME
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(data)
    view = interactions.add_attachment(db, me, "client", client.id, str(source)).value
    return client.id, view.id


def test_a_colleagues_row_sharing_the_file_keeps_it_and_others_are_refused(
    team: TeamDb, logins: dict[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = "Паспорт серии 1234 № 567890".encode() * 50
    _computer(monkeypatch, tmp_path, "annas-pc")
    anna_client, anna_file = _attach(team, logins["anna"], "anna", tmp_path, data)
    _computer(monkeypatch, tmp_path, "boris-pc")
    boris_client, _ = _attach(team, logins["boris"], "boris", tmp_path, data)

    # Boris does not see Anna's card: refused (the row is not even his to see)
    with pytest.raises(NotFoundError):
        interactions.remove_attachment(logins["boris"], team.actor("boris"), anna_file)
    with team.db.reader() as uow:
        assert uow.session.get(Attachment, anna_file) is not None

    _computer(monkeypatch, tmp_path, "annas-pc")
    gone = interactions.remove_attachment(logins["anna"], team.actor("anna"), anna_file).value
    assert gone.filename == NAME
    with team.db.reader() as uow:
        assert uow.session.get(Attachment, anna_file) is None
        line = uow.session.execute(
            select(AuditEntry.field, AuditEntry.old).where(
                AuditEntry.entity_kind == "client", AuditEntry.entity_id == anna_client
            )
        ).all()
        assert ("attachment_removed", NAME) in [tuple(r) for r in line]

    # Boris's copy is read on a third computer that never had the file
    _computer(monkeypatch, tmp_path, "borises-laptop")
    with logins["boris"].reader() as uow:
        (view,) = attachments.list_for(uow, team.actor("boris"), "client", boris_client)
    (tmp_path / "open").mkdir()
    assert (
        attachment_fetch.copy_for_opening(logins["boris"], view, tmp_path / "open").read_bytes()
        == data
    )


def _uid(db: Database, attachment_id: int) -> str:
    with db.reader() as uow:
        uid = uow.session.scalar(select(Attachment.uid).where(Attachment.id == attachment_id))
    assert uid is not None
    return uid


def _holds(rig: Rig, who: str, uid: str) -> bool:
    with rig.own_db(who).reader() as uow:
        return uow.session.scalar(select(Attachment.id).where(Attachment.uid == uid)) is not None


def _server_file(rig: Rig, tmp_path: Path, data: bytes) -> str:
    """A file on Anna's client, attached on the server and pulled by both laptops."""
    client = rig.local_id("admin", "client", rig.client_uid)
    source = tmp_path / "disk" / NAME
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(data)
    view = interactions.add_attachment(
        rig.server["anna"], rig.actor("anna"), "client", client, str(source)
    ).value
    uid = _uid(rig.server["anna"], view.id)
    sync_all(rig)
    assert _holds(rig, "anna", uid)
    assert _holds(rig, "head", uid)
    return uid


def test_a_removal_on_a_laptop_reaches_the_server_and_the_other_laptop(
    rig: Rig, tmp_path: Path
) -> None:
    uid = _server_file(rig, tmp_path, "Счёт на оплату".encode())
    local = rig.local_id("anna", "attachment", uid)

    interactions.remove_attachment(rig.laptop["anna"], rig.local_actor("anna"), local)
    sync_all(rig)

    for who in ("anna", "head", "admin"):
        assert not _holds(rig, who, uid), who
    # the server's card history says so, as a removal there does (none before)
    anna = rig.actor("anna").id
    assert _removed_lines(rig) == [(anna, NAME)]


def _removed_lines(rig: Rig) -> list[tuple[int | None, str | None]]:
    with rig.server["admin"].reader() as uow:
        rows = uow.session.execute(
            select(AuditEntry.user_id, AuditEntry.old).where(
                AuditEntry.field == "attachment_removed",
                AuditEntry.client_id == rig.local_id("admin", "client", rig.client_uid),
            )
        )
        return [tuple(r) for r in rows]


def test_the_servers_line_names_who_removed_the_file_on_a_laptop(rig: Rig, tmp_path: Path) -> None:
    """Gleb (Anna's head) removes her file on his laptop: one line, his."""
    uid = _server_file(rig, tmp_path, "Договор поставки №7".encode())
    local = rig.local_id("head", "attachment", uid)
    interactions.remove_attachment(rig.laptop["head"], rig.local_actor("head"), local)
    sync_all(rig)
    assert _removed_lines(rig) == [(rig.actor("head").id, NAME)]


def test_a_removal_on_the_server_leaves_the_laptops(rig: Rig, tmp_path: Path) -> None:
    uid = _server_file(rig, tmp_path, "Акт сверки".encode())
    server_id = rig.local_id("admin", "attachment", uid)

    interactions.remove_attachment(rig.server["admin"], rig.actor("admin"), server_id)
    sync_all(rig)

    for who in ("anna", "head"):
        assert not _holds(rig, who, uid), who


def test_a_removal_pulled_from_the_server_lets_the_laptop_clean_its_file(
    rig: Rig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The laptop journals a file whose attachment a pull removed, as a
    removal there would, so its clean-up deletes the file after the grace
    period (before, the laptop kept it forever: no journal line). The
    clean-up's own rules (grace, other databases) are test_attachment_cleanup.py's."""
    data = "Акт сверки за ноябрь".encode()
    uid = _server_file(rig, tmp_path, data)
    with rig.server["admin"].reader() as uow:
        row = uow.session.scalar(select(Attachment).where(Attachment.uid == uid))
        assert row is not None
        server_id, digest = row.id, row.sha256
    _computer(monkeypatch, tmp_path, "server-pc")
    interactions.remove_attachment(rig.server["admin"], rig.actor("admin"), server_id)
    _computer(monkeypatch, tmp_path, "annas-laptop")
    file = stored_path(digest)  # the laptop's copy of the file
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(data)
    when = NOW - cleanup.FILE_GRACE - dt.timedelta(days=1)
    os.utime(file, (when.timestamp(), when.timestamp()))
    assert not sync(rig.laptop["anna"], rig.server["anna"]).refused
    assert not _holds(rig, "anna", uid)
    assert (file.parent.parent / cleanup.JOURNAL).read_text().split() == [digest]
    assert cleanup.sweep_files(rig.laptop["anna"], NOW) == (1, 1)
    assert not file.exists()


def test_a_read_only_login_is_refused_clearly_and_nothing_changes(
    team: TeamDb, logins: dict[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.core.errors import UserError

    _computer(monkeypatch, tmp_path, "annas-pc")
    _, anna_file = _attach(team, logins["anna"], "anna", tmp_path, "Счёт".encode())
    with pytest.raises(UserError) as refused:
        interactions.remove_attachment(logins["reader"], team.actor("reader"), anna_file)
    assert "refused this change for your login" in str(refused.value)
    with team.db.reader() as uow:
        assert uow.session.get(Attachment, anna_file) is not None
        assert not uow.session.execute(
            select(AuditEntry.id).where(AuditEntry.field == "attachment_removed")
        ).all()
