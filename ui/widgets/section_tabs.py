"""Pages chosen from a list on their left, as in many desktop settings
windows: a dozen Russian tab names ("Источники и правила", "Производственный
календарь" …) were wider than a 1366 px screen, and the last tabs hid behind
a scroll arrow. A list shows every section at any width and grows down.

The part of ``QTabWidget``'s interface the callers use (``addTab``,
``insertTab``, ``removeTab``, ``indexOf``, ``currentIndex`` …, the
``currentChanged`` signal) keeps its names, so ``ui/widgets/lazy_tabs.py``
and the code and tests that pick a page with ``tabs.setCurrentWidget(page)``
work unchanged.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)

_MNEMONIC = re.compile(r"&(&?)")


def shown_label(label: str) -> str:
    """A tab label as a list shows it: ``&&`` is one ampersand, a lone
    ``&`` marks a mnemonic and is not shown (QTabWidget's rules)."""
    return _MNEMONIC.sub(lambda m: m.group(1), label)


class SectionTabs(QWidget):
    currentChanged = Signal(int)  # noqa: N815 - QTabWidget's name, kept for its callers

    ROW_HEIGHT = 30

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("sections")
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.list.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stack = QStackedWidget()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.list)
        row.addWidget(self.stack, 1)
        self._labels: list[str] = []
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)

    # -- QTabWidget's names ---------------------------------------------------

    def addTab(self, widget: QWidget, label: str) -> int:  # noqa: N802
        return self.insertTab(self.count(), widget, label)

    def insertTab(self, index: int, widget: QWidget, label: str) -> int:  # noqa: N802
        index = max(0, min(index, self.count()))
        first = self.count() == 0
        self._labels.insert(index, label)
        self.stack.insertWidget(index, widget)
        item = QListWidgetItem(shown_label(label))
        item.setSizeHint(QSize(0, self.ROW_HEIGHT))
        blocked = self.list.blockSignals(True)
        try:
            self.list.insertItem(index, item)
        finally:
            self.list.blockSignals(blocked)
        self._fit_width()
        if first:
            self.setCurrentIndex(0)
        else:
            self._follow(self.stack.currentIndex())
        return index

    def removeTab(self, index: int) -> None:  # noqa: N802
        widget = self.stack.widget(index)
        if widget is None:
            return
        before = self.currentIndex()
        del self._labels[index]
        self.stack.removeWidget(widget)
        blocked = self.list.blockSignals(True)
        try:
            self.list.takeItem(index)
        finally:
            self.list.blockSignals(blocked)
        self._follow(self.stack.currentIndex())
        self._fit_width()
        if self.currentIndex() != before:
            self.currentChanged.emit(self.currentIndex())

    def count(self) -> int:
        return self.stack.count()

    def widget(self, index: int) -> QWidget | None:
        return self.stack.widget(index)

    def indexOf(self, widget: QWidget) -> int:  # noqa: N802
        return self.stack.indexOf(widget)

    def tabText(self, index: int) -> str:  # noqa: N802
        return self._labels[index] if 0 <= index < len(self._labels) else ""

    def currentIndex(self) -> int:  # noqa: N802
        return self.stack.currentIndex()

    def currentWidget(self) -> QWidget | None:  # noqa: N802
        return self.stack.currentWidget()

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802
        if 0 <= index < self.count():
            self.list.setCurrentRow(index)  # the list's signal switches the page

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802
        self.setCurrentIndex(self.indexOf(widget))

    # -- the list ---------------------------------------------------------------

    def _on_list_current_row_changed(self, row: int) -> None:
        if row < 0 or row == self.stack.currentIndex():
            return
        self.stack.setCurrentIndex(row)
        self.currentChanged.emit(row)

    def _follow(self, index: int) -> None:
        """The list's choice back on the page shown, without a signal."""
        blocked = self.list.blockSignals(True)
        try:
            self.list.setCurrentRow(index)
        finally:
            self.list.blockSignals(blocked)

    def _fit_width(self) -> None:
        """As wide as the longest name: nothing is cut, in any language."""
        metrics = self.list.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(self.list.item(i).text()) for i in range(self.list.count())),
            default=0,
        )
        # the item's padding and the list's (resources/style/touchpoint.qss), and a
        # scroll bar's width for a window shorter than the list
        scroll = self.list.style().pixelMetric(self.list.style().PixelMetric.PM_ScrollBarExtent)
        self.list.setFixedWidth(widest + 2 * 12 + 2 * 8 + scroll)
