"""A phone's extension in the window's language: the Russian window showed
"ext. 12" in the client list, the card's header and its contact persons.
Services format the number; the window words the extension ("доб. 12"),
and what the CLI prints keeps "ext. 12"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from services.core import bootstrap, normalize
from services.core.storage import Database
from services.parties import records as parties
from tests.ui.helpers import make_ctx
from ui.cards.card_widget import CardWidget
from ui.clients.list_panel import ListPanel

TYPED = "+7 499 268-93-87 доб. 12"


def _client(db: Database) -> int:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "ООО «Гамма»", phones=[TYPED])
        parties.add_contact(
            uow, actor, "Ирина Волкова", client_id=client.id, phones=["+7 499 268-93-87 доб. 305"]
        )
        uow.commit()
        return client.id


def _shown(qtbot: QtBot, db: Database, tmp_path: Path) -> tuple[str, str, str]:
    """(the client list's phone, the card header's phone, the contact's)."""
    client_id = _client(db)
    ctx = make_ctx(db)
    panel = ListPanel(ctx, "client")
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    card = CardWidget(ctx, "client", client_id, settings=settings)
    qtbot.addWidget(card)
    card.resize(1300, 800)
    card.show()
    qtbot.waitUntil(lambda: bool(card.header.phone_buttons))
    contact = card.tabs.contacts_tab.tree.topLevelItem(0)
    return panel.model.index(0, 1).data(), card.header.phone_buttons[0].text(), contact.text(2)


def test_the_russian_window_words_an_extension_in_russian(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, russian: None
) -> None:
    listed, header, contact = _shown(qtbot, sqlite_db, tmp_path)
    assert listed == "+7 499 268-93-87 доб. 12"
    assert header == "+7 499 268-93-87 доб. 12"
    assert contact == "+7 499 268-93-87 доб. 305"


def test_the_english_window_and_the_cli_keep_ext(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    listed, header, contact = _shown(qtbot, sqlite_db, tmp_path)
    assert (listed, header, contact) == (
        "+7 499 268-93-87 ext. 12",
        "+7 499 268-93-87 ext. 12",
        "+7 499 268-93-87 ext. 305",
    )
    assert normalize.phone_shown("+74992689387;ext=12") == "+7 499 268-93-87 ext. 12"
