"""Empty lists say what to do, not only what they would hold: a card
without deals or contact persons names the button that adds one, the
search popup what to try, Settings the button that links a mailbox."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.core.storage import Database
from tests.ui.helpers import make_ctx
from ui.cards.tabs import ContactsTab, DealsTab
from ui.search.search_popup import SearchPopup
from ui.settings.settings_panel import SettingsPanel


def test_a_cards_empty_tabs_name_the_button_that_adds(qtbot: QtBot, russian: None) -> None:
    deals, contacts = DealsTab(), ContactsTab()
    for tab in (deals, contacts):
        qtbot.addWidget(tab)
    deals.set_deals([])
    contacts.set_contacts([])
    assert "«Новая сделка»" in deals.empty.text()
    assert "«Новое контактное лицо»" in contacts.empty.text()


def test_a_search_that_finds_nothing_says_what_to_try(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    popup = SearchPopup(make_ctx(sqlite_db))
    qtbot.addWidget(popup)
    popup.resize(680, 460)
    popup.show()
    popup.edit.setText("Ёжиков")
    popup.run_search()
    qtbot.waitUntil(popup.status.isVisible, timeout=2000)
    want = "номер телефона" if language == "ru" else "a phone number"
    qtbot.waitUntil(lambda: want in popup.status.text(), timeout=2000)


def test_settings_without_a_mailbox_names_the_button_that_links_one(
    qtbot: QtBot, sqlite_db: Database, russian: None
) -> None:
    panel = SettingsPanel(make_ctx(sqlite_db))
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    qtbot.waitUntil(lambda: panel.accounts.count() == 1, timeout=2000)
    assert "«Добавить ящик…»" in panel.accounts.item(0).text()
