"""Settings → Working calendar (issue #17): whose working days count the
delays of scenario steps, and the days the government moved in a year.

Holidays come from the holidays package and are listed read-only; the
moved days (shipped with Touchpoint, or edited here) can be added and
removed. Saving re-plans the pending scenario steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
)

from services.scenarios import calendar as cal
from services.scenarios import calendar_cases as cases
from services.scenarios import calendar_store as store
from ui.context import UiContext
from ui.settings.admin_page import AdminPage
from ui.settings.form_parts import muted
from ui.widgets.country_names import country_choices, country_name


def countries() -> list[tuple[str, str]]:
    """(code, "Country (CC)") for every country with a holiday calendar,
    named in the window's language."""
    return country_choices(cal.supported_countries())


def _russian() -> bool:
    return QLocale().language() == QLocale.Language.Russian


class MovedDayDialog(QDialog):
    """A date and a note: a new working day or day off."""

    def __init__(self, title: str, day: dt.date, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.date = QDateEdit(QDate(day.year, day.month, day.day))
        self.date.setCalendarPopup(True)
        self.note = QLineEdit()
        self.note.setMaxLength(cases.MAX_NOTE)
        self.note.setPlaceholderText(self.tr("e.g. the decree, or why"))
        form = QFormLayout(self)
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("Note"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def day(self) -> dt.date:
        picked = self.date.date()
        return dt.date(picked.year(), picked.month(), picked.day())


class CalendarPage(AdminPage):
    COLUMNS = 4

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.view: store.CalendarYear | None = None
        self.country = QComboBox()
        self.country.addItem(self.tr("As the phone region"), "")
        self.country.activated.connect(self._on_country_activated)
        self.year = QSpinBox()
        self.year.setRange(cal.MIN_YEAR, cal.MAX_YEAR)
        self.year.setValue(dt.date.today().year)
        self.year.valueChanged.connect(self._on_year_value_changed)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Country")))
        top.addWidget(self.country, 1)
        top.addSpacing(16)
        top.addWidget(QLabel(self.tr("Year")))
        top.addWidget(self.year)
        self.explain = muted(
            self.tr(
                "Scenario steps wait the number of working days set in the step: Saturdays, "
                "Sundays and public holidays are skipped, except the days moved below. "
                "Changing the calendar moves the dates of steps not done yet."
            )
        )
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Date"), self.tr("Day"), self.tr("From"), self.tr("Holiday or note")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(self.COLUMNS - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COLUMNS - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.empty = muted()
        self.add_working_button = QPushButton(self.tr("Add a working day…"))
        self.add_off_button = QPushButton(self.tr("Add a day off…"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.add_working_button.clicked.connect(lambda: self._on_add_clicked(True))
        self.add_off_button.clicked.connect(lambda: self._on_add_clicked(False))
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        buttons = QHBoxLayout()
        for button in (self.add_working_button, self.add_off_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.column.addLayout(top)
        self.column.addWidget(self.explain)
        self.column.addWidget(self.table, 1)
        self.column.addWidget(self.empty)
        self.column.addLayout(buttons)
        self.country.setEnabled(self.editable)
        self._update_buttons()

    def refresh(self) -> None:
        if self.country.count() == 1:
            # Listing the calendars imports every country's module: only once
            # the page is shown, not at every start (issue #16).
            for code, label in countries():
                self.country.addItem(label, code)
        year, language = self.year.value(), "ru" if _russian() else "en_US"

        self._work.read(lambda uow, _actor: store.year_view(uow, year, language), self._on_loaded)

    def _on_loaded(self, view: store.CalendarYear) -> None:
        self.loaded = True
        self.view = view
        self.country.setItemText(
            0, self.tr("As the phone region (%1)").replace("%1", country_name(view.region))
        )
        self.country.setCurrentIndex(max(0, self.country.findData(view.chosen)))
        locale = QLocale()
        self.table.setRowCount(len(view.entries))
        origins = {
            "holiday": self.tr("Public holiday"),
            "shipped": self.tr("Moved by decree"),
            "edited": self.tr("Set here"),
        }
        for row, entry in enumerate(view.entries):
            date = QDate(entry.day.year, entry.day.month, entry.day.day)
            kind = self.tr("working day") if entry.working else self.tr("day off")
            cells = (
                locale.toString(date, QLocale.FormatType.ShortFormat),
                f"{locale.dayName(date.dayOfWeek(), QLocale.FormatType.ShortFormat)}, {kind}",
                origins[entry.origin],
                entry.name,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 1 and entry.working:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        self.empty.setText(self._empty_text(view))
        self.empty.setVisible(not view.entries or not view.supported)
        self._update_buttons()

    def _empty_text(self, view: store.CalendarYear) -> str:
        if not view.supported:
            return self.tr(
                "No holiday calendar for %1: only Saturdays and Sundays are days off, "
                "plus the days added here."
            ).replace("%1", country_name(view.country))
        return self.tr("No public holidays on weekdays and no moved days in %1.").replace(
            "%1", str(view.year)
        )

    def current(self) -> store.CalendarEntry | None:
        rows = self.table.selectionModel().selectedRows()
        if self.view is None or not rows:
            return None
        return self.view.entries[rows[0].row()]

    def _update_buttons(self) -> None:
        chosen = self.current()
        self.add_working_button.setEnabled(self.editable)
        self.add_off_button.setEnabled(self.editable)
        self.remove_button.setEnabled(
            self.editable and chosen is not None and chosen.origin != "holiday"
        )
        if chosen is not None and chosen.origin == "holiday" and self.editable:
            self.remove_button.setToolTip(
                self.tr("Public holidays come with Touchpoint: add a working day to override one.")
            )
        else:
            self.remove_button.setToolTip("")

    def _on_year_value_changed(self, _year: int) -> None:
        self.refresh()

    def _on_country_activated(self, _index: int) -> None:
        self.set_country(self.country.currentData() or "")

    def set_country(self, code: str) -> None:
        self._work.run(lambda db, actor: cases.set_country(db, actor, code), self._done)

    def add_day(self, day: dt.date, working: bool, note: str = "") -> None:
        if day.year != self.year.value():
            self.year.blockSignals(True)
            self.year.setValue(day.year)
            self.year.blockSignals(False)
        self._work.run(
            lambda db, actor: cases.set_moved_day(db, actor, day, working, note), self._done
        )

    def remove_day(self, day: dt.date) -> None:
        self._work.run(lambda db, actor: cases.remove_moved_day(db, actor, day), self._done)

    def _on_add_clicked(self, working: bool) -> None:
        title = self.tr("New working day") if working else self.tr("New day off")
        first = dt.date(self.year.value(), 1, 1)
        today = dt.date.today()
        dialog = MovedDayDialog(title, today if today.year == first.year else first, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_day(dialog.day(), working, dialog.note.text())

    def _on_remove_button_clicked(self) -> None:
        chosen = self.current()
        if chosen is not None and chosen.origin != "holiday":
            self.remove_day(chosen.day)
