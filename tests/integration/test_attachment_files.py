"""An attachment's file reaches colleagues on a team database (#20): its bytes
go to the server by SHA-256 with the row, and a machine that lacks the file
fetches it when the user opens it. Real PostgreSQL, a login per colleague,
each "computer" a data folder of its own."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from models import Attachment
from models.notes import AttachmentBlob, AttachmentBlobPart
from services.core.errors import EnvironmentFault, UserError, ValidationError
from services.core.storage import Database, open_database
from services.interactions import attachment_fetch, attachments
from services.interactions import use_cases as interactions
from services.parties import shares
from services.parties import use_cases as parties
from tests.integration.team_fixtures import logins_fixture, team_fixture  # noqa: F401 - fixtures
from tests.integration.team_rls_helpers import TeamDb

pytestmark = pytest.mark.postgres

NAME = "Договор №5 (подписан).pdf"


def computer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str) -> Path:
    """Work as another computer from here on: its own data folder."""
    folder = tmp_path / name
    monkeypatch.setenv("TOUCHPOINT_DATA_DIR", str(folder))
    return folder


def attach(team: TeamDb, db: Database, who: str, tmp_path: Path, data: bytes) -> int:
    """``who`` adds a client and attaches a file from disk to it; the client's id."""
    me = team.actor(who)
    client = parties.add_client(db, me, f"ООО «Ландыш» {who}", region="RU").value
    source = tmp_path / "upload" / NAME
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(data)
    interactions.add_attachment(db, me, "client", client.id, str(source))
    return client.id


def view_of(team: TeamDb, db: Database, who: str, client_id: int) -> attachments.AttachmentView:
    with db.reader() as uow:
        (found,) = attachments.list_for(uow, team.actor(who), "client", client_id)
    return found


def payload(size: int) -> bytes:
    """Bytes that are not one repeated part (a part mix-up changes the hash)."""
    block = hashlib.sha256(b"touchpoint").digest()
    return (block * (size // len(block) + 1))[:size]


def test_a_colleague_on_another_computer_opens_the_file_byte_identical(
    team: TeamDb, logins: dict[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = payload(2 * 1024 * 1024 + 12345)  # three parts
    computer(monkeypatch, tmp_path, "annas-pc")
    client_id = attach(team, logins["anna"], "anna", tmp_path, data)
    with team.db.reader() as uow:
        blob = uow.session.get(AttachmentBlob, hashlib.sha256(data).hexdigest())
        assert blob is not None
        assert (blob.size, blob.parts) == (len(data), 3)

    for who, folder in (("admin", "allas-pc"), ("head", "glebs-pc")):
        computer(monkeypatch, tmp_path, folder)
        view = view_of(team, logins[who], who, client_id)
        assert view.filename == NAME
        assert not Path(view.path).exists()  # not on this computer yet
        (tmp_path / f"open-{who}").mkdir()
        opened = attachment_fetch.copy_for_opening(logins[who], view, tmp_path / f"open-{who}")
        assert opened.name == NAME
        assert opened.read_bytes() == data
        assert Path(view.path).read_bytes() == data  # kept in this data folder
        saved = attachment_fetch.save_copy(logins[who], view, tmp_path / f"{who}.pdf")
        assert saved.read_bytes() == data


def test_a_manager_of_another_department_cannot_fetch_the_bytes(
    team: TeamDb, logins: dict[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = "Смета: 100 000 ₽".encode()
    computer(monkeypatch, tmp_path, "annas-pc")
    client_id = attach(team, logins["anna"], "anna", tmp_path, data)
    with team.engine("boris").connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM attachment_blobs")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM attachment_blob_parts")).scalar_one() == 0
    computer(monkeypatch, tmp_path, "boris-pc")
    view = view_of(team, logins["anna"], "anna", client_id)  # as if he had the row
    with pytest.raises(ValidationError) as refused:
        attachment_fetch.copy_for_opening(logins["boris"], view, tmp_path / "open")
    assert refused.value.code == "interactions.attachment_blobs.not_on_server"
    assert not Path(view.path).exists()


def test_a_colleague_the_client_is_shared_with_opens_it_and_loses_it_when_unshared(
    team: TeamDb, logins: dict[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = "Протокол встречи, 5 декабря".encode()
    computer(monkeypatch, tmp_path, "annas-pc")
    client_id = attach(team, logins["anna"], "anna", tmp_path, data)
    anna = team.actor("anna")
    shares.set_shared(logins["anna"], anna, "client", client_id, team.logins["boris"], shared=True)
    computer(monkeypatch, tmp_path, "boris-pc")
    view = view_of(team, logins["boris"], "boris", client_id)
    (tmp_path / "open").mkdir()
    assert (
        attachment_fetch.copy_for_opening(logins["boris"], view, tmp_path / "open").read_bytes()
        == data
    )

    shares.set_shared(logins["anna"], anna, "client", client_id, team.logins["boris"], shared=False)
    Path(view.path).unlink()  # his computer no longer has it either
    with pytest.raises(ValidationError) as refused:
        attachment_fetch.fetch_missing(logins["boris"], view)
    assert refused.value.code == "interactions.attachment_blobs.not_on_server"


def test_a_tampered_blob_is_refused_and_nothing_is_kept(
    team: TeamDb, logins: dict[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = payload(1024 * 1024 + 10)
    computer(monkeypatch, tmp_path, "annas-pc")
    client_id = attach(team, logins["anna"], "anna", tmp_path, data)
    digest = hashlib.sha256(data).hexdigest()
    with team.db.uow() as uow:  # the owner bypasses every policy: a damaged server
        part = uow.session.get(AttachmentBlobPart, (digest, 1))
        assert part is not None
        part.content = b"X" + part.content[1:]
        uow.commit()
    folder = computer(monkeypatch, tmp_path, "glebs-pc")
    view = view_of(team, logins["head"], "head", client_id)
    (tmp_path / "open").mkdir()
    with pytest.raises(ValidationError) as refused:
        attachment_fetch.copy_for_opening(logins["head"], view, tmp_path / "open")
    assert refused.value.code == "interactions.attachment_blobs.tampered"
    assert NAME in str(refused.value)
    assert not [p for p in (folder / "attachments").rglob("*") if p.is_file()]
    assert not list((tmp_path / "open").iterdir())


def test_a_login_cannot_publish_wrong_bytes_under_a_hash(
    team: TeamDb, logins: dict[str, Database], tmp_path: Path
) -> None:
    """Content-addressed and checked by the server: a forged blob row is
    refused, so a colleague never fetches bytes that another login chose."""
    honest = hashlib.sha256(b"the real contract").hexdigest()
    with team.engine("boris").connect() as conn:
        conn.execute(
            text("INSERT INTO attachment_blob_parts (sha256, part, content) VALUES (:s, 0, :c)"),
            {"s": honest, "c": b"a forged contract"},
        )
        with pytest.raises(DBAPIError) as refused:
            conn.execute(
                text(
                    "INSERT INTO attachment_blobs (sha256, size, parts, created_at) "
                    "VALUES (:s, 17, 1, now())"
                ),
                {"s": honest},
            )
        assert "do not match" in str(refused.value.orig)
        conn.rollback()
        # A committed stray part does not block the real upload either.
        conn.execute(
            text("INSERT INTO attachment_blob_parts (sha256, part, content) VALUES (:s, 0, :c)"),
            {"s": honest, "c": b"a forged contract"},
        )
        conn.commit()
    attach(team, logins["anna"], "anna", tmp_path, b"the real contract")
    with team.engine("boris").connect() as conn:  # a complete blob's parts stay
        gone = conn.execute(
            text("DELETE FROM attachment_blob_parts WHERE sha256 = :s"), {"s": honest}
        )
        assert gone.rowcount == 0
        conn.commit()
    with team.db.reader() as uow:
        stored = uow.session.scalar(
            select(func.string_agg(AttachmentBlobPart.content, b"")).where(
                AttachmentBlobPart.sha256 == honest
            )
        )
    assert stored == b"the real contract"


def test_a_file_over_25_mb_is_refused_and_nothing_is_saved(
    team: TeamDb, logins: dict[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    computer(monkeypatch, tmp_path, "annas-pc")
    big = tmp_path / "Видео со встречи.mp4"
    with big.open("wb") as out:
        out.truncate(attachments.MAX_FILE_BYTES + 1)
    me = team.actor("anna")
    client = parties.add_client(logins["anna"], me, "ООО «Ромашка»", region="RU").value
    with pytest.raises(ValidationError) as refused:
        interactions.add_attachment(logins["anna"], me, "client", client.id, str(big))
    assert refused.value.code == "interactions.attachments.too_large"
    with team.db.reader() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Attachment)) == 0
        assert uow.session.scalar(select(func.count()).select_from(AttachmentBlob)) == 0
        assert uow.session.scalar(select(func.count()).select_from(AttachmentBlobPart)) == 0


def test_an_unreachable_server_is_a_clear_message(
    team: TeamDb, logins: dict[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    computer(monkeypatch, tmp_path, "annas-pc")
    client_id = attach(team, logins["anna"], "anna", tmp_path, b"%PDF-1.4 short")
    computer(monkeypatch, tmp_path, "laptop-in-a-tunnel")
    view = view_of(team, logins["anna"], "anna", client_id)
    gone = open_database("postgresql+psycopg://nobody@127.0.0.1:9/nowhere", upgrade=False)
    try:
        with pytest.raises(EnvironmentFault) as offline:
            attachment_fetch.fetch_missing(gone, view)
    finally:
        gone.dispose()
    assert offline.value.code == "interactions.attachment_fetch.offline"
    assert NAME in str(offline.value)
    assert isinstance(offline.value, UserError)


def test_a_file_the_server_lacks_is_sent_when_its_computer_opens_it(
    team: TeamDb, logins: dict[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attachments stored before the server kept files: the computer that
    has one sends it the next time someone opens it there."""
    data = "Старый договор, 2025".encode()
    digest = hashlib.sha256(data).hexdigest()
    computer(monkeypatch, tmp_path, "annas-pc")
    client_id = attach(team, logins["anna"], "anna", tmp_path, data)
    with team.db.uow() as uow:  # as before revision 0032: the row only
        uow.session.execute(
            text("DELETE FROM attachment_blob_parts WHERE sha256 = :s"), {"s": digest}
        )
        uow.session.execute(text("DELETE FROM attachment_blobs WHERE sha256 = :s"), {"s": digest})
        uow.commit()
    (tmp_path / "open").mkdir()
    mine = view_of(team, logins["anna"], "anna", client_id)
    assert attachment_fetch.copy_for_opening(logins["anna"], mine, tmp_path / "open").exists()

    computer(monkeypatch, tmp_path, "glebs-pc")
    theirs = view_of(team, logins["head"], "head", client_id)
    saved = attachment_fetch.save_copy(logins["head"], theirs, tmp_path / "gleb.txt")
    assert saved.read_bytes() == data
