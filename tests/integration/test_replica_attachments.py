"""Attachments reach the server from a laptop replica, and the other laptop
opens them (#20). Real PostgreSQL with a login per colleague, SQLite
replicas (tests/integration/replica_rig.py); each laptop has its own data
folder, as two computers do."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import Attachment, Client, SyncState
from models.notes import AttachmentBlob
from services.core.errors import EnvironmentFault
from services.interactions import attachment_fetch, attachments
from services.interactions import use_cases as interactions
from services.parties import edit_cases
from services.parties import use_cases as parties
from services.sync import file_prefetch
from services.sync.pull import pull
from services.sync.use_cases import sync
from tests.integration.replica_rig import Rig, log_rows, snapshot

pytestmark = pytest.mark.postgres

NAME = "Акт сверки — март.xlsx"


def laptop_of(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, who: str) -> Path:
    """Work on ``who``'s laptop from here on: its own data folder."""
    folder = tmp_path / f"{who}-data"
    monkeypatch.setenv("TOUCHPOINT_DATA_DIR", str(folder))
    return folder


def a_file(tmp_path: Path, data: bytes, name: str = NAME) -> Path:
    source = tmp_path / "from-disk" / name
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(data)
    return source


def payload(size: int) -> bytes:
    block = hashlib.sha256("сверка".encode()).digest()
    return (block * (size // len(block) + 1))[:size]


def test_a_file_attached_offline_reaches_the_server_and_the_other_laptop(
    rig: Rig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = payload(1024 * 1024 + 777)  # two parts
    digest = hashlib.sha256(data).hexdigest()
    laptop_of(monkeypatch, tmp_path, "anna")
    anna = rig.laptop["anna"]
    client = rig.local_id("anna", "client", rig.client_uid)
    interactions.add_attachment(
        anna, rig.local_actor("anna"), "client", client, str(a_file(tmp_path, data))
    )
    assert [r["kind"] for r in log_rows(anna) if r["state"] == "pending"] == ["attachment"]

    report = sync(anna, rig.server["anna"])

    assert not report.refused
    assert {r["state"] for r in log_rows(anna)} == {"pushed"}
    with rig.tdb.db.reader() as uow:  # the owner sees every row
        row = uow.session.scalars(select(Attachment)).one()
        assert (row.filename, row.size, row.sha256) == (NAME, len(data), digest)
        assert row.path == f"attachments/{digest[:2]}/{digest}"
        assert uow.session.scalar(select(Client.uid).where(Client.id == row.client_id)) == (
            rig.client_uid
        )
        blob = uow.session.get(AttachmentBlob, digest)
        assert blob is not None
        assert (blob.size, blob.parts) == (len(data), 2)

    # Gleb's laptop, another computer: the row comes with the pull, the file on opening.
    laptop_of(monkeypatch, tmp_path, "head")
    gleb = rig.laptop["head"]
    assert not sync(gleb, rig.server["head"]).refused
    with gleb.reader() as uow:
        (view,) = attachments.list_for(
            uow,
            rig.local_actor("head"),
            "client",
            rig.local_id("head", "client", rig.client_uid),
        )
    assert view.filename == NAME
    assert Path(view.path).read_bytes() == data  # the newest files come with the sync
    Path(view.path).unlink()  # beyond the prefetch's bound: it comes when opened
    (tmp_path / "open").mkdir()
    opened = attachment_fetch.copy_for_opening(gleb, view, tmp_path / "open")
    assert opened.name == NAME
    assert opened.read_bytes() == data
    # Alla at the office opens it from the server directly, on a third computer.
    laptop_of(monkeypatch, tmp_path, "admin")
    with rig.server["admin"].reader() as uow:
        (at_office,) = attachments.list_for(
            uow, rig.actor("admin"), "client", rig.local_id("admin", "client", rig.client_uid)
        )
    saved = attachment_fetch.save_copy(rig.server["admin"], at_office, tmp_path / "office.xlsx")
    assert saved.read_bytes() == data
    assert snapshot(anna) == snapshot(gleb) == snapshot(rig.server["anna"])


def test_a_file_attached_at_the_office_opens_on_the_laptop_and_offline_says_so(
    rig: Rig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = "Коммерческое предложение".encode()
    laptop_of(monkeypatch, tmp_path, "office")
    server = rig.server["anna"]
    interactions.add_attachment(
        server,
        rig.actor("anna"),
        "client",
        rig.local_id("anna", "client", rig.client_uid),
        str(a_file(tmp_path, data, "КП.docx")),
    )
    laptop_of(monkeypatch, tmp_path, "anna")
    anna = rig.laptop["anna"]
    assert not sync(anna, server).refused
    with anna.reader() as uow:
        (view,) = attachments.list_for(
            uow,
            rig.local_actor("anna"),
            "client",
            rig.local_id("anna", "client", rig.client_uid),
        )
    Path(view.path).unlink()  # as if beyond the prefetch's bound
    # In a tunnel: the server is not there (a port nothing listens on).
    with anna.uow() as uow:
        row = uow.session.get(SyncState, "server_url")
        assert row is not None
        real = row.value
        row.value = "postgresql+psycopg://nobody@127.0.0.1:9/touchpoint"
        uow.commit()
    with pytest.raises(EnvironmentFault) as offline:
        attachment_fetch.copy_for_opening(anna, view, tmp_path)
    assert offline.value.code == "interactions.attachment_fetch.offline"
    assert "КП.docx" in str(offline.value)
    assert not Path(view.path).exists()
    with anna.uow() as uow:
        row = uow.session.get(SyncState, "server_url")
        assert row is not None
        row.value = real
        uow.commit()
    (tmp_path / "open").mkdir()
    assert attachment_fetch.copy_for_opening(anna, view, tmp_path / "open").read_bytes() == data


def test_a_converted_leads_attachments_move_to_the_client_on_the_server(
    rig: Rig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop_of(monkeypatch, tmp_path, "anna")
    anna, me = rig.laptop["anna"], rig.local_actor("anna")
    lead = parties.add_lead(anna, me, "Мария Иванова", company="ООО «Лютик»").value
    interactions.add_attachment(anna, me, "lead", lead.id, str(a_file(tmp_path, b"scan")))
    assert not sync(anna, rig.server["anna"]).refused

    client = edit_cases.convert_lead(anna, me, lead.id).value
    assert not sync(anna, rig.server["anna"]).refused

    with anna.reader() as uow:
        client_uid = uow.session.scalar(select(Client.uid).where(Client.id == client.id))
    with rig.server["admin"].reader() as uow:
        row = uow.session.scalars(select(Attachment)).one()
        assert row.lead_id is None
        assert uow.session.scalar(select(Client.uid).where(Client.id == row.client_id)) == (
            client_uid
        )


def test_an_attachment_over_25_mb_is_refused_and_nothing_reaches_the_server(
    rig: Rig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A laptop's row naming a file over the limit (written around the use
    case, which refuses one): the server refuses the action whole."""
    laptop_of(monkeypatch, tmp_path, "anna")
    anna = rig.laptop["anna"]
    with anna.uow(rig.local_actor("anna").id) as uow:
        uow.session.add(
            Attachment(
                client_id=rig.local_id("anna", "client", rig.client_uid),
                filename="Видео.mp4",
                mime_type="video/mp4",
                size=attachments.MAX_FILE_BYTES + 1,
                sha256="ab" * 32,
                path=f"attachments/ab/{'ab' * 32}",
            )
        )
        uow.commit()

    with anna.uow(rig.local_actor("anna").id) as uow:  # and a name from a hostile letter
        uow.session.add(
            Attachment(
                client_id=rig.local_id("anna", "client", rig.client_uid),
                filename="..\\..\\Счёт\u202egpj.exe",
                mime_type="application/octet-stream",
                size=3,
                sha256=hashlib.sha256(b"exe").hexdigest(),
                path="attachments/elsewhere",
            )
        )
        uow.commit()

    report = sync(anna, rig.server["anna"])

    assert len(report.refused) == 1
    assert "larger than 25 MB" in report.refused[0].reason
    with rig.tdb.db.reader() as uow:
        (row,) = uow.session.scalars(select(Attachment))
        assert (row.filename, row.size) == ("Счётgpj.exe", 3)
        assert uow.session.scalar(select(func.count()).select_from(AttachmentBlob)) == 0
    with anna.reader() as uow:  # the refused one put back as the server has it: not there
        assert [a.size for a in uow.session.scalars(select(Attachment))] == [3]


def test_the_prefetch_stays_within_its_bound(
    rig: Rig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop_of(monkeypatch, tmp_path, "office")
    server, me = rig.server["anna"], rig.actor("anna")
    client = rig.local_id("anna", "client", rig.client_uid)
    for n, size in enumerate((3000, 2000, 1000)):  # the newest last
        interactions.add_attachment(
            server, me, "client", client, str(a_file(tmp_path, payload(size), f"Файл {n}.bin"))
        )
    laptop_of(monkeypatch, tmp_path, "anna")
    anna = rig.laptop["anna"]
    assert pull(anna, server) >= 3  # the rows; the files wait (a pull alone fetches none)
    assert [name for _s, _n, name in file_prefetch.missing(anna, budget_bytes=3500)] == [
        "Файл 2.bin",
        "Файл 1.bin",
    ]
    assert file_prefetch.prefetch(anna, server, budget_bytes=3500) == 2
    assert [name for _s, _n, name in file_prefetch.missing(anna)] == ["Файл 0.bin"]
    assert file_prefetch.prefetch(anna, server, max_files=1) == 1
    assert file_prefetch.missing(anna) == []
