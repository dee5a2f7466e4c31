"""Settings → Working calendar through the widgets: the year's holidays and
moved days, an administrator adds and removes moved days and picks the
country; a manager sees the page read-only."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from services.core import use_cases as core_cases
from services.core.storage import Database
from services.scenarios import calendar_store as store
from tests.conftest import Team
from tests.ui.helpers import make_ctx
from ui.settings.settings_panel import SettingsPanel


def _page(qtbot: QtBot, db: Database, login: str | None = None) -> SettingsPanel:
    panel = SettingsPanel(make_ctx(db, login=login))
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    panel.tabs.setCurrentWidget(panel.calendar_page)
    return panel


def _rows(panel: SettingsPanel) -> dict[str, list[str]]:
    table = panel.calendar_page.table
    return {
        table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, table.columnCount())]
        for r in range(table.rowCount())
    }


def _select(panel: SettingsPanel, day: dt.date) -> None:
    page = panel.calendar_page
    assert page.view is not None
    page.table.selectRow([e.day for e in page.view.entries].index(day))


def test_an_admin_sees_and_edits_the_moved_days(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    panel = _page(qtbot, sqlite_db)
    page = panel.calendar_page
    assert page.loaded
    page.year.setValue(2025)
    assert page.country.currentIndex() == 0
    assert page.country.currentText() == "As the phone region (Russia)"
    rows = _rows(panel)
    assert len(rows) == len(page.view.entries) > 10  # type: ignore[union-attr]
    saturday = page.view.entries[[e.day for e in page.view.entries].index(dt.date(2025, 11, 1))]  # type: ignore[union-attr]
    assert saturday.working
    assert saturday.origin == "shipped"
    holiday_row = [r for r in rows.values() if r[2] == "Unity Day"]
    assert holiday_row[0][1] == "Public holiday"
    # a holiday cannot be removed; a shipped moved day can
    _select(panel, dt.date(2025, 11, 4))
    assert not page.remove_button.isEnabled()
    _select(panel, dt.date(2025, 11, 1))
    assert page.remove_button.isEnabled()
    page.remove_button.click()
    assert dt.date(2025, 11, 1) not in [e.day for e in page.view.entries]  # type: ignore[union-attr]
    # a new working Saturday with a Cyrillic note, through the page
    page.add_day(dt.date(2025, 12, 27), True, "Отработка за 31 декабря")
    entry = next(e for e in page.view.entries if e.day == dt.date(2025, 12, 27))  # type: ignore[union-attr]
    assert entry.origin == "edited"
    assert entry.name == "Отработка за 31 декабря"
    assert not panel._ctx.errors  # type: ignore[attr-defined]
    with sqlite_db.reader() as uow:
        ru = store.calendar(uow)
    assert ru.add(dt.date(2025, 12, 26), 1) == dt.date(2025, 12, 27)
    assert ru.add(dt.date(2025, 10, 31), 1) == dt.date(2025, 11, 5)

    # Kazakhstan: its own holidays, the Russian edits stay with Russia
    page.country.setCurrentIndex(page.country.findData("KZ"))
    page.set_country("KZ")
    assert page.view.country == "KZ"  # type: ignore[union-attr]
    assert page.country.currentData() == "KZ"
    assert dt.date(2025, 12, 27) not in [e.day for e in page.view.entries]  # type: ignore[union-attr]
    assert dt.date(2025, 1, 5) in [e.day for e in page.view.entries if e.working]  # type: ignore[union-attr]


def test_a_country_without_holidays_says_so(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    """Ascension Island has phone numbers but no holiday calendar: weekends only."""
    core_cases.save_settings(sqlite_db, sqlite_team.admin, {"default_region": "AC"})
    panel = _page(qtbot, sqlite_db)
    page = panel.calendar_page
    assert page.view is not None
    assert not page.view.supported
    assert page.country.currentText() == "As the phone region (Ascension Island)"
    assert page.table.rowCount() == 0
    assert page.empty.isVisible()
    assert "No holiday calendar for Ascension Island" in page.empty.text()
    page.add_day(dt.date(page.year.value(), 12, 31), False, "Новый год")
    assert page.table.rowCount() == 1
    page.set_country("RU")
    assert page.view.supported
    assert page.table.rowCount() > 5
    assert not page.empty.isVisible()


def test_a_manager_sees_the_calendar_read_only(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    panel = _page(qtbot, sqlite_db, login="anna")
    page = panel.calendar_page
    assert page.loaded
    assert page.read_only_note.isVisible()
    assert page.table.rowCount() > 0
    for widget in (page.country, page.add_working_button, page.add_off_button):
        assert not widget.isEnabled()
    page.table.selectRow(0)
    assert not page.remove_button.isEnabled()
