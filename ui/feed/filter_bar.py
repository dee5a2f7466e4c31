"""The feed's filter bar: types, owner, period, text, upcoming only, the
order (newest or oldest first) and,
in a deal, the whole client history. It only describes what to show; the
view turns that into a ``FeedFilter`` and the model asks the service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.core.views import UserView
from services.feed.pages import FeedFilter
from ui.widgets import glyphs, labels
from ui.widgets.elided import ElidedCombo

NON_INTERACTION = ("note", "task", "change")
NO_DATE = QDate(2000, 1, 1)
DEBOUNCE_MS = 300


class _StickyMenu(QMenu):
    """A menu of check boxes that stays open while the user ticks several."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        action = self.activeAction()
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().mouseReleaseEvent(event)


class _DateEdit(QDateEdit):
    """A date that may be unset ("any"): the minimum date stands for none."""

    def __init__(self, empty_text: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText(empty_text)
        self.setDisplayFormat("d MMM yyyy")
        self.setDate(NO_DATE)
        self.calendarWidget().installEventFilter(self)

    def value(self) -> dt.date | None:
        d = self.date()
        if d == NO_DATE:
            return None
        return dt.date(d.year(), d.month(), d.day())

    def clear_value(self) -> None:
        self.setDate(NO_DATE)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # An unset date opens the calendar on this month, not in the year 2000.
        if event.type() == QEvent.Type.Show and self.date() == NO_DATE:
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)


class FeedFilterBar(QWidget):
    filter_changed = Signal()
    whole_history_toggled = Signal(bool)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search this feed"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(150)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._changed)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._on_search_return_pressed)

        self.types_button = QPushButton()
        self.types_button.setToolTip(self.tr("Show only some kinds of items"))
        self.types_menu = _StickyMenu(self.types_button)
        self.types_button.setMenu(self.types_menu)
        self._type_actions: dict[str, QAction] = {}
        self.set_types(["call", "meeting", "email", "sms", "messenger", "other"])

        # Not as wide as the longest name: a colleague's Russian full name
        # "(me)" made a card wider than a 1366 px screen; cut with "…" instead
        self.owner = ElidedCombo()
        self.owner.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.owner.setMinimumContentsLength(20)
        self.owner.addItem(self.tr("Any owner"), None)
        self.owner.currentIndexChanged.connect(self._changed)

        self.since = _DateEdit(self.tr("Any date"))
        self.until = _DateEdit(self.tr("Any date"))
        self.since.setToolTip(self.tr("Show history from this day"))
        self.until.setToolTip(self.tr("Show history up to this day"))
        self.since.dateChanged.connect(self._changed)
        self.until.dateChanged.connect(self._changed)

        self.upcoming = QCheckBox(self.tr("Upcoming only"))
        self.upcoming.setToolTip(self.tr("Show only planned interactions and open tasks"))
        self.upcoming.toggled.connect(self._changed)
        # The order is a view, not a filter: "Clear filters" keeps it (seed 000).
        self.oldest_first = QCheckBox(self.tr("Oldest first"))
        self.oldest_first.setToolTip(
            self.tr("Show the history in chronological order, the earliest first")
        )
        self.oldest_first.toggled.connect(self._changed)
        self.whole_history = QCheckBox(self.tr("Whole client history"))
        self.whole_history.setToolTip(
            self.tr("Everything with this client, not only what belongs to this deal")
        )
        self.whole_history.toggled.connect(self.whole_history_toggled)
        self.whole_history.hide()

        self.clear_button = QPushButton(self.tr("Clear filters"))
        self.clear_button.setFlat(True)
        self.clear_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clear_button.clicked.connect(self.clear)
        self.clear_button.setVisible(False)

        # Two lines, every place reserved: at 1366 px a Russian bar on one
        # line widened the window, and showing "Clear filters" or renaming
        # the types button moved the controls under the cursor.
        keep = self.clear_button.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        self.clear_button.setSizePolicy(keep)
        self.types_button.setMinimumWidth(self._widest_types_text())
        first = QHBoxLayout()
        first.setSpacing(6)
        first.addWidget(self.search, 1)
        first.addWidget(self.types_button)
        first.addWidget(self.owner)
        first.addWidget(self.clear_button)
        second = QHBoxLayout()
        second.setSpacing(6)
        second.addWidget(self.since)
        dash = QLabel("–")
        second.addWidget(dash)
        second.addWidget(self.until)
        second.addSpacing(4)
        second.addWidget(self.upcoming)
        second.addWidget(self.oldest_first)
        second.addWidget(self.whole_history)
        second.addStretch(1)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(4)
        rows.addLayout(first)
        rows.addLayout(second)

    def _widest_types_text(self) -> int:
        """Room for the longest label the types button can show."""
        metrics = self.types_button.fontMetrics()
        texts = [self.tr("All types"), self.tr("%n type(s)", "", 5)]
        texts += [labels.type_plural(code) for code in self._type_actions]
        return max(metrics.horizontalAdvance(t) for t in texts) + 48  # the arrow and padding

    # --- choices --------------------------------------------------------------------

    def set_types(self, codes: Sequence[str]) -> None:
        checked = {c for c, a in self._type_actions.items() if a.isChecked()}
        self.types_menu.clear()
        self._type_actions = {}
        everything = self.types_menu.addAction(self.tr("All types"))
        everything.triggered.connect(self._on_all_types_triggered)
        self.types_menu.addSeparator()
        for code in [*codes, None, *NON_INTERACTION]:
            if code is None:
                self.types_menu.addSeparator()
                continue
            action = self.types_menu.addAction(glyphs.type_icon(code, 16), labels.type_plural(code))
            action.setCheckable(True)
            action.setChecked(code in checked)
            action.toggled.connect(self._on_type_toggled)
            self._type_actions[code] = action
        self._update_types_text()

    def set_users(self, users: Sequence[UserView], me: int | None = None) -> None:
        current = self.owner.currentData()
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItem(self.tr("Any owner"), None)
        for user in users:
            name = user.full_name or user.login
            if user.id == me:
                name = self.tr("%1 (me)").replace("%1", name)
            self.owner.addItem(name, user.id)
        index = self.owner.findData(current)
        self.owner.setCurrentIndex(max(index, 0))
        self.owner.blockSignals(False)

    def set_deal_mode(self, deal: bool) -> None:
        self.whole_history.setVisible(deal)

    # --- state ----------------------------------------------------------------------

    def checked_types(self) -> tuple[str, ...]:
        return tuple(c for c, a in self._type_actions.items() if a.isChecked())

    def set_checked_types(self, codes: Sequence[str]) -> None:
        for code, action in self._type_actions.items():
            action.blockSignals(True)
            action.setChecked(code in codes)
            action.blockSignals(False)
        self._changed()

    def feed_filter(self, zone: str) -> FeedFilter:
        tz = ZoneInfo(zone)
        since = self.since.value()
        until = self.until.value()
        text = self.search.text().strip()
        return FeedFilter(
            types=self.checked_types(),
            owner_id=self.owner.currentData(),
            since=dt.datetime.combine(since, dt.time(), tz) if since else None,
            until=dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tz)
            if until
            else None,
            text=text or None,
            upcoming_only=self.upcoming.isChecked(),
            oldest_first=self.oldest_first.isChecked(),
        )

    def is_filtered(self) -> bool:
        """Whether anything narrows the history (upcoming only counts too)."""
        return bool(
            self.checked_types()
            or self.owner.currentData() is not None
            or self.since.value()
            or self.until.value()
            or self.search.text().strip()
            or self.upcoming.isChecked()
        )

    def clear(self) -> None:
        widgets = [self.search, self.owner, self.since, self.until, self.upcoming]
        for w in widgets:
            w.blockSignals(True)
        self.search.clear()
        self.owner.setCurrentIndex(0)
        self.since.clear_value()
        self.until.clear_value()
        self.upcoming.setChecked(False)
        for w in widgets:
            w.blockSignals(False)
        for action in self._type_actions.values():
            action.blockSignals(True)
            action.setChecked(False)
            action.blockSignals(False)
        self._debounce.stop()
        self._changed()

    def _update_types_text(self) -> None:
        chosen = self.checked_types()
        if not chosen:
            text = self.tr("All types")
        elif len(chosen) == 1:
            text = labels.type_plural(chosen[0])
        else:
            text = self.tr("%n type(s)", "", len(chosen))
        self.types_button.setText(text)

    def _changed(self, *_args: Any) -> None:
        self._update_types_text()
        self.clear_button.setVisible(self.is_filtered())
        self._debounce.stop()
        self.filter_changed.emit()

    def _on_type_toggled(self, _checked: bool) -> None:
        self._changed()

    def _on_all_types_triggered(self) -> None:
        self.set_checked_types(())

    def _on_search_return_pressed(self) -> None:
        self._debounce.stop()
        self._changed()
