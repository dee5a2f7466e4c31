"""A settings page's own Ctrl+N inside the real window: the window binds
Ctrl+N to "new interaction" too, and two shortcuts on one key in scope
cancel each other in Qt (neither fires). With the focus on the deputies
page, Ctrl+N must add a deputy, and only that."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from services.core.storage import Database
from tests.ui.test_main_window import FakeMail, make_prefs
from tests.ui.test_main_window import make_ctx as window_ctx
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
