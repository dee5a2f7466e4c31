"""First run: the welcome screen's three ways in, and the database's place,
backup and restore in Settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.parties import records as parties
from tests.ui.helpers import LAPTOP, make_ctx
from ui.settings.settings_panel import SettingsPanel
from ui.shell.empty_state import DemoOffer


def test_the_welcome_screen_imports_a_contacts_file(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "name,email,phone,company\n"
        "Иван Петров,ivan@romashka.ru,+7 495 123-45-67,ООО Ромашка\n"
        "John Smith,john@acme.example,,\n"
        "<b>Анна</b>,anna@example.com,pager,\n",
        encoding="utf-8",
    )
    offer = DemoOffer(make_ctx(sqlite_db))
    qtbot.addWidget(offer)
    assert offer.import_button.isEnabled()
    assert offer.mailbox_button.isEnabled()
    with qtbot.waitSignal(offer.loaded, timeout=10_000):
        offer.import_file(str(contacts))
    assert "3 new" in offer.result.text()
    assert "1 of them without values" in offer.result.text()
    # The skipped value and why, with the file's text escaped, never markup.
    assert "&lt;b&gt;Анна&lt;/b&gt;" in offer.result.toolTip()
    assert "'pager' (no phone number found)" in offer.result.toolTip().replace("&#x27;", "'")
    with sqlite_db.reader() as uow:
        names = [c.name for c in parties.list_clients(uow, bootstrap.actor_for(uow))]
    assert sorted(names) == ["<b>Анна</b>", "John Smith", "ООО Ромашка"]


def test_settings_show_where_the_database_is_and_back_it_up(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    panel = SettingsPanel(make_ctx(sqlite_db))
    qtbot.addWidget(panel)
    assert str(sqlite_db.url).split("///")[-1] in panel.database_place.text()
    target = tmp_path / "copy.sqlite3"
    panel.backup_to(str(target))
    assert target.is_file()
    assert target.stat().st_size > 0
    assert str(target) in panel.saved_label.text()


def test_the_welcome_buttons_show_their_words_in_full(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    """At 1366x768 the Russian welcome cut "Подключить почтовый ящик…" at
    both ends: the column was 520 px whatever its buttons needed."""
    offer = DemoOffer(make_ctx(sqlite_db))
    qtbot.addWidget(offer)
    offer.resize(*LAPTOP)
    offer.show()
    qtbot.waitExposed(offer)
    for button in (offer.new_client_button, offer.import_button, offer.mailbox_button):
        assert button.width() >= button.sizeHint().width(), button.text()
        assert offer.rect().contains(QRect(button.mapTo(offer, QPoint(0, 0)), button.size()))
