"""Ctrl+F goes to the search field where a manager looks things up: the
client, lead and contact lists, and a card's feed (from any of the card's
tabs). It did nothing anywhere in the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.parties import records as parties
from tests.ui.helpers import make_ctx
from ui.cards.card_widget import CardWidget
from ui.clients.list_panel import ListPanel

CTRL = Qt.KeyboardModifier.ControlModifier


def _active(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.resize(1100, 650)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def _clients(db: Database) -> int:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        first = parties.add_client(uow, actor, "ООО «Ромашка»").id
        parties.add_client(uow, actor, "АО «Северный ветер»")
        uow.commit()
    return first


@pytest.mark.parametrize("kind", ["client", "lead", "contact"])
def test_ctrl_f_in_a_list_goes_to_its_search(qtbot: QtBot, sqlite_db: Database, kind: str) -> None:
    _clients(sqlite_db)
    panel = ListPanel(make_ctx(sqlite_db), kind)
    _active(qtbot, panel)
    panel.search.setText("Ром")
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus)
    qtbot.keyClick(panel.table, Qt.Key.Key_F, CTRL)
    assert panel.search.hasFocus()
    assert panel.search.selectedText() == "Ром"  # typing replaces it
    assert "Ctrl+F" in panel.search.toolTip()


def test_ctrl_f_in_a_card_goes_to_the_feeds_search(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, russian: None
) -> None:
    client = _clients(sqlite_db)
    store = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    card = CardWidget(make_ctx(sqlite_db), "client", client, settings=store)
    _active(qtbot, card)
    qtbot.waitUntil(lambda: card.data is not None)
    card.tabs.setCurrentWidget(card.contacts_tab)  # another tab, the focus in it
    card.contacts_tab.setFocus()
    qtbot.keyClick(card.contacts_tab, Qt.Key.Key_F, CTRL)
    assert card.tabs.currentWidget() is card.feed
    assert card.feed.filter_bar.search.hasFocus()
    assert card.feed.filter_bar.search.toolTip() == "Поиск (Ctrl+F)"
