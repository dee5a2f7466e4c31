"""Settings at a laptop's 1366x768: every section can be seen and chosen in
both languages. Thirteen tabs in Russian were wider than the screen and
"Источники и правила" sat behind the tab bar's scroll arrow; the sections
are now a list on the left. Pages are still built only when first shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from services.core.storage import Database
from tests.ui.helpers import beside_the_sections, make_ctx
from ui.settings.inbound_page import InboundPage
from ui.settings.settings_panel import SettingsPanel


def test_every_section_is_seen_whole_at_1366(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    panel = SettingsPanel(make_ctx(sqlite_db))
    window = beside_the_sections(qtbot, panel)
    sections = panel.tabs.list
    assert sections.count() == panel.tabs.count() == 12
    viewport = sections.viewport().rect()
    metrics = sections.fontMetrics()
    for row in range(sections.count()):
        item = sections.item(row)
        place = sections.visualItemRect(item)
        assert viewport.contains(place), item.text()  # not scrolled out of sight
        assert metrics.horizontalAdvance(item.text()) < place.width(), item.text()  # not cut
    assert sections.horizontalScrollBar().maximum() == 0
    last = sections.item(sections.count() - 1).text()
    assert last == {"en": "Sources & rules", "ru": "Источники и правила"}[language]
    window.close()


def test_a_section_is_built_when_first_chosen(qtbot: QtBot, sqlite_db: Database) -> None:
    panel = SettingsPanel(make_ctx(sqlite_db))
    window = beside_the_sections(qtbot, panel)
    assert panel._pages.built() == []  # a start pays for none of them
    sections = panel.tabs.list
    last = sections.item(sections.count() - 1)
    qtbot.mouseClick(
        sections.viewport(), Qt.MouseButton.LeftButton, pos=sections.visualItemRect(last).center()
    )
    page = panel.tabs.currentWidget()
    assert isinstance(page, InboundPage)
    assert panel.tabs.indexOf(page) == sections.currentRow() == sections.count() - 1
    assert [type(p) for p in panel._pages.built()] == [InboundPage]
    assert page.isVisible()
    # the keyboard walks the list; the page shown follows
    sections.setFocus()
    qtbot.keyClick(sections, Qt.Key.Key_Up)
    assert panel.tabs.currentWidget() is panel.database_page
    assert panel.database_page.isVisible()
    qtbot.keyClick(sections, Qt.Key.Key_Home)
    assert panel.tabs.currentIndex() == 0
    assert panel.region.isVisible()  # General
    window.close()


def test_no_section_makes_the_window_wider_than_the_screen(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    """Beside the list, a page has less room: Sources & rules on a database
    with no source (its empty hint's title in one line) and the scenario
    editor (its buttons and check boxes side by side) pushed the window past
    1366 px in Russian, cutting the right edge off the screen."""
    panel = SettingsPanel(make_ctx(sqlite_db))
    window = beside_the_sections(qtbot, panel)
    for index in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        page = panel.tabs.currentWidget()
        assert window.width() == 1366, panel.tabs.tabText(index)
        assert page.width() >= page.minimumSizeHint().width(), panel.tabs.tabText(index)
    panel.scenarios_page.new_scenario()  # the editor shown, not the empty hint
    panel.tabs.setCurrentWidget(panel.scenarios_page)
    qtbot.wait(10)
    assert window.width() == 1366
    editor = panel.scenarios_page.editor
    viewport = editor.parentWidget()  # the editor scrolls: no side-scrolling wanted
    assert viewport is not None
    assert editor.minimumSizeHint().width() <= viewport.width()
    window.close()
