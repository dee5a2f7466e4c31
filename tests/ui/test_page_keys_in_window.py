"""A settings page's own Ctrl+N inside the real window: the window binds
Ctrl+N to "new interaction" too, and two shortcuts on one key in scope
cancel each other in Qt (neither fires). With the focus on the deputies
page, Ctrl+N must add a deputy, and only that."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.parties import records as parties
from tests.ui.test_main_window import FakeMail, make_prefs
from tests.ui.test_main_window import make_ctx as window_ctx
from ui.cards.card_widget import CardWidget
from ui.feed import FeedView
from ui.main_window import MainWindow
from ui.settings import deputies_page
from ui.settings.deputies_page import DeputyDialog
from ui.settings.settings_panel import SettingsPanel


def test_ctrl_n_on_the_deputies_page_adds_a_deputy_not_an_interaction(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(window_ctx(sqlite_db, mail=FakeMail()), make_prefs(tmp_path))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    opened: list[str] = []
    monkeypatch.setattr(DeputyDialog, "exec", lambda _d: opened.append("deputy") or 0)
    monkeypatch.setattr(window.new_interaction, "start", lambda: opened.append("interaction"))
    window.show_section("settings")
    panel = window.panels["settings"]
    assert isinstance(panel, SettingsPanel)
    page = panel.deputies_page
    panel.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.loaded)
    assert isinstance(page, deputies_page.DeputiesPage)
    page.add_button.setFocus()  # nobody stands in yet: the list is hidden
    qtbot.waitUntil(page.add_button.hasFocus)
    qtbot.keyClick(page.add_button, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened == ["deputy"]


def test_f5_in_a_cards_feed_reads_the_feed_again(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The feed binds F5 too (the window's F5 reloads the sections)."""
    with sqlite_db.uow() as uow:
        client = parties.add_client(uow, bootstrap.actor_for(uow), "ООО «Ромашка»")
        uow.commit()
    read: list[str] = []
    # patched on the classes before the shortcuts connect to the bound methods
    monkeypatch.setattr(FeedView, "refresh", lambda _self: read.append("feed"))
    monkeypatch.setattr(MainWindow, "refresh", lambda _self: read.append("window"))
    window = MainWindow(window_ctx(sqlite_db, mail=FakeMail()), make_prefs(tmp_path))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.open_card("client", client.id, client.name)
    card = window.workspace.currentWidget()
    assert isinstance(card, CardWidget)
    feed = card.findChild(FeedView)
    assert feed is not None
    read.clear()
    inside = next(w for w in feed.findChildren(QComboBox) if w.isVisible())
    inside.setFocus()
    qtbot.waitUntil(inside.hasFocus)
    qtbot.keyClick(inside, Qt.Key.Key_F5)
    assert read == ["feed"]
