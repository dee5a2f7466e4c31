"""Removing an attachment on a team PostgreSQL and on laptop replicas: a
colleague's row that shares the file keeps it readable (also on another
computer, from the server); a manager who does not see the card cannot
remove it and changes nothing; a removal on a laptop reaches the server and
the other laptop, one on the server leaves the laptops."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from models import Attachment, AuditEntry
from services.core.errors import NotFoundError
from services.core.storage import Database
from services.interactions import attachment_fetch, attachments
from services.interactions import use_cases as interactions
from services.parties import use_cases as parties
from tests.integration.replica_rig import Rig, sync_all
from tests.integration.team_fixtures import logins_fixture, team_fixture  # noqa: F401 - fixtures
from tests.integration.team_rls_helpers import TeamDb

pytestmark = pytest.mark.postgres

NAME = "Скан паспорта — Ёжиков.pdf"


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


def test_a_removal_on_the_server_leaves_the_laptops(rig: Rig, tmp_path: Path) -> None:
    uid = _server_file(rig, tmp_path, "Акт сверки".encode())
    server_id = rig.local_id("admin", "attachment", uid)

    interactions.remove_attachment(rig.server["admin"], rig.actor("admin"), server_id)
    sync_all(rig)

    for who in ("anna", "head"):
        assert not _holds(rig, who, uid), who


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
