"""The Attachments tab's "+": a file from this computer lands on the card
(and on its client when added on a contact person), with a readable name and
size; a hostile file (a FIFO, a huge one, a name with a direction override)
is refused or cleaned, nothing stored half-way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.errors import ValidationError
from services.core.storage import Database
from services.interactions import attachments
from services.interactions import use_cases as interaction_cases
from services.parties import use_cases as creating
from tests.ui.helpers import make_ctx
from ui.cards.card_widget import CardWidget


def _client_with_contact(db: Database) -> tuple[int, int]:
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    client = creating.add_client(db, actor, "ООО «Файлы»").value
    contact = creating.add_contact(db, actor, "Анна Петрова", client_id=client.id).value
    return client.id, contact.id


def _rows(card: CardWidget) -> list[tuple[str, str]]:
    tree = card.attachments_tab.tree
    return [
        (tree.topLevelItem(i).text(0), tree.topLevelItem(i).text(1))
        for i in range(tree.topLevelItemCount())
    ]


def test_plus_adds_a_file_on_the_contact_and_its_client_shows_it_too(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    client_id, contact_id = _client_with_contact(sqlite_db)
    offer = tmp_path / "Коммерческое предложение.pdf"
    offer.write_bytes(b"%PDF-1.4 " + b"x" * 3000)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    ctx = make_ctx(sqlite_db)
    card = CardWidget(ctx, "contact", contact_id, settings=settings)
    qtbot.addWidget(card)
    card.show()
    card.tabs.setCurrentWidget(card.attachments_tab)
    assert card.attachments_tab.stack.currentWidget() is card.attachments_tab.empty
    qtbot.mouseClick(card.attachments_tab.add_button, Qt.MouseButton.LeftButton)
    dialog = card.attachments_tab.dialog
    assert dialog is not None
    assert dialog.isVisible()
    dialog.fileSelected.emit(str(offer))  # the user picked the file
    dialog.reject()
    qtbot.waitUntil(lambda: _rows(card) == [("Коммерческое предложение.pdf", "3 KB")])
    assert not ctx.errors  # type: ignore[attr-defined]

    client_card = CardWidget(ctx, "client", client_id, settings=settings)
    qtbot.addWidget(client_card)
    assert _rows(client_card) == []  # not read until the tab is shown
    client_card.tabs.setCurrentWidget(client_card.attachments_tab)
    assert _rows(client_card) == [("Коммерческое предложение.pdf", "3 KB")]
    with sqlite_db.reader() as uow:
        (stored,) = attachments.list_for(uow, ctx.actor, "client", client_id)
    assert Path(stored.path).read_bytes() == offer.read_bytes()
    assert stored.mime_type == "application/pdf"


def test_a_name_with_a_direction_override_and_folders_is_cleaned(
    sqlite_db: Database, tmp_path: Path
) -> None:
    client_id, _contact = _client_with_contact(sqlite_db)
    assert attachments.clean_filename("..\\\\..\\evil/inv\u202eoice\x00fdp.exe") == "invoicefdp.exe"
    assert attachments.clean_filename("   ") == "file"
    long = attachments.clean_filename("а" * 400 + ".docx")
    assert len(long) == 255
    assert long.endswith(".docx")
    with sqlite_db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    odd = tmp_path / "счёт\u202etxt.exe"
    odd.write_bytes(b"MZ")
    made = interaction_cases.add_attachment(sqlite_db, actor, "client", client_id, str(odd))
    assert made.value.filename == "счётtxt.exe"
    assert made.changes.touches_card("client", client_id)


def test_a_fifo_is_refused_without_blocking(sqlite_db: Database, tmp_path: Path) -> None:
    client_id, _contact = _client_with_contact(sqlite_db)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with sqlite_db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    with pytest.raises(ValidationError, match="not a regular file"):
        interaction_cases.add_attachment(sqlite_db, actor, "client", client_id, str(fifo))


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(
    sqlite_db: Database, tmp_path: Path
) -> None:
    client_id, _contact = _client_with_contact(sqlite_db)
    big = tmp_path / "archive.zip"
    with big.open("wb") as handle:  # sparse: no 26 MB written
        handle.truncate(attachments.MAX_FILE_BYTES + 1)
    with sqlite_db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    with pytest.raises(ValidationError, match="larger than 25 MB"):
        interaction_cases.add_attachment(sqlite_db, actor, "client", client_id, str(big))
    with sqlite_db.reader() as uow:
        assert attachments.list_for(uow, actor, "client", client_id) == []
