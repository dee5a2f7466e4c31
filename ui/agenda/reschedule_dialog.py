"""Pick a new time for a planned interaction, with quick choices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
)

from ui.widgets.plain import plain_label


def next_working_morning(now: dt.datetime, days: int) -> dt.datetime:
    day = now.date() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10, 0))


def restore_time(start: dt.datetime) -> dt.datetime:
    """Where a restored interaction lands by default: its own time while
    that is still ahead, else the next working morning at the same time of
    day, so it never comes back already overdue. A naive wall time in
    ``start``'s zone."""
    now = dt.datetime.now(start.tzinfo)
    if start > now:
        return start.replace(tzinfo=None)
    target = next_working_morning(now.replace(tzinfo=None), 1)
    return target.replace(hour=start.hour, minute=start.minute)


class WhenDialog(QDialog):
    """A date and time: the wall time of the interaction's own zone. With
    ``past`` it asks when something happened: no later than ``start`` (now)
    and no quick choices for the days ahead."""

    def __init__(
        self,
        title: str,
        start: dt.datetime,
        message: str = "",
        parent: Any = None,
        *,
        past: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat(
            self.when.locale().dateTimeFormat(QLocale.FormatType.ShortFormat)
        )
        self._set(start)
        quick = QHBoxLayout()
        base = dt.datetime.now()
        choices = [
            (self.tr("In an hour"), base.replace(second=0, microsecond=0) + dt.timedelta(hours=1)),
            (self.tr("Tomorrow"), next_working_morning(base, 1)),
            (self.tr("In 3 days"), next_working_morning(base, 3)),
            (self.tr("Next week"), next_working_morning(base, 7 - base.weekday())),
        ]
        if past:
            self.when.setMaximumDateTime(self.when.dateTime())
            choices = [(self.tr("Now"), start)]
        for label, value in choices:
            button = QPushButton(label)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, v=value: self._set(v))
            quick.addWidget(button)
        quick.addStretch()
        form = QFormLayout()
        form.addRow(self.tr("When"), self.when)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if message:
            text = plain_label(message)
            text.setWordWrap(True)
            layout.addWidget(text)
        layout.addLayout(form)
        layout.addLayout(quick)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _set(self, value: dt.datetime) -> None:
        self.when.setDateTime(
            QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))
        )

    def value(self) -> dt.datetime:
        """The chosen wall time (naive)."""
        chosen = self.when.dateTime()
        d, t = chosen.date(), chosen.time()
        return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
