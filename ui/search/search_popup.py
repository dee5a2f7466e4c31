"""Ctrl+K: find a client, lead, contact person or deal by what you remember
of it. Debounced; results grouped by kind; Up/Down choose, Enter opens,
Escape closes."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGraphicsDropShadowEffect,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context import UiContext
from ui.search import search_source
from ui.shell.icons import icon
from ui.widgets.plain import tooltip
from ui.widgets.work import Work

DEBOUNCE_MS = 200
MIN_CHARS = 2
MAX_HEIGHT = 460  # px: about eighteen hits, then the list scrolls
KIND_ICONS = {
    "client": "clients",
    "lead": "leads",
    "contact": "contacts",
    "deal": "deals",
    "interaction": "agenda",
    "note": "mention",
}


def kind_title(kind: str) -> str:
    return {
        "client": QCoreApplication.translate("SearchPopup", "Clients"),
        "lead": QCoreApplication.translate("SearchPopup", "Leads"),
        "contact": QCoreApplication.translate("SearchPopup", "Contacts"),
        "deal": QCoreApplication.translate("SearchPopup", "Deals"),
        "interaction": QCoreApplication.translate("SearchPopup", "Interactions"),
        "note": QCoreApplication.translate("SearchPopup", "Notes"),
    }.get(kind, kind)


class SearchPopup(QFrame):
    """Drops over the top of the window it belongs to (a child widget, not a
    window of its own: nothing for a window manager to misplace)."""

    open_requested = Signal(str, object, str)  # kind, id, title

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self._generation = 0
        self.setObjectName("searchPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(24)
        shadow.setOffset(0, 4)
        self.setGraphicsEffect(shadow)
        self.setVisible(False)
        self.edit = QLineEdit()
        self.edit.setClearButtonEnabled(True)
        self.edit.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.edit.setPlaceholderText(
            self.tr("Search clients, leads, contacts and deals: name, phone, email")
        )
        font = QFont(self.edit.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.edit.setFont(font)
        self.edit.setMinimumHeight(36)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self.edit.installEventFilter(self)
        self.results = QTreeWidget()
        self.results.setHeaderHidden(True)
        self.results.setRootIsDecorated(False)
        self.results.setIndentation(0)
        self.results.setColumnCount(2)
        self.results.setUniformRowHeights(True)
        self.results.setStyleSheet("QTreeView::item { padding: 3px 2px; }")
        self.results.itemActivated.connect(self._on_results_item_activated)
        self.status = QLabel(self.tr("Type at least two letters or digits."))
        self.status.setProperty("role", "muted")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run_search)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)

    def popup(self) -> None:
        """Show over the top middle of the window, the text selected."""
        parent = self.parentWidget()
        if parent is not None:
            width = min(680, parent.width() - 40)
            self.setGeometry((parent.width() - width) // 2, 60, width, self._fitting_height())
        self.edit.selectAll()
        self.show()
        self.raise_()
        self.edit.setFocus()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)

    def hide(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            with contextlib.suppress(RuntimeError, TypeError):
                app.focusChanged.disconnect(self._on_app_focus_changed)
        super().hide()

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """A click elsewhere in the window closes the popup."""
        if new is not None and new is not self and not self.isAncestorOf(new):
            self.hide()

    def _on_edit_text_changed(self, _text: str) -> None:
        self._debounce.start()

    def run_search(self) -> None:
        text = self.edit.text().strip()
        self._generation += 1
        generation = self._generation
        if len(text) < MIN_CHARS:
            self.results.clear()
            self.status.setText(self.tr("Type at least two letters or digits."))
            self.status.setVisible(True)
            self._fit()
            return
        self._work.read(
            lambda uow, actor: search_source.find(uow, actor, text),
            lambda hits: self._on_found(generation, hits),
        )

    def _on_found(self, generation: int, hits: list[search_source.Hit]) -> None:
        if generation != self._generation:
            return  # the user typed on
        self.results.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        bold = QFont(self.results.font())
        bold.setWeight(QFont.Weight.DemiBold)
        first: QTreeWidgetItem | None = None
        for hit in hits:
            group = groups.get(hit.kind)
            if group is None:
                group = QTreeWidgetItem([kind_title(hit.kind)])
                group.setFont(0, bold)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.setFirstColumnSpanned(True)
                self.results.addTopLevelItem(group)
                groups[hit.kind] = group
            detail = search_source.shown_detail(hit)
            item = QTreeWidgetItem(group, ["    " + hit.title, detail])
            item.setIcon(0, icon(KIND_ICONS.get(hit.kind, "open")))
            item.setData(0, Qt.ItemDataRole.UserRole, (hit.open_kind, hit.open_id, hit.open_title))
            whole = "\n".join(part for part in (hit.title, detail) if part)
            item.setToolTip(0, tooltip(whole))
            item.setToolTip(1, tooltip(whole))
            first = first or item
        self.results.expandAll()
        self.results.resizeColumnToContents(0)
        if self.results.columnWidth(0) > self.results.width() * 0.6:
            self.results.setColumnWidth(0, int(self.results.width() * 0.6))
        self.status.setText(
            self.tr("Nothing found. Try part of a name, a phone number or an email address.")
            if not hits
            else ""
        )
        self.status.setVisible(not hits)
        self._fit()  # first: choosing the first hit in a list still short scrolled its group away
        self.results.scrollToTop()
        if first is not None:
            self.results.setCurrentItem(first)

    def _fitting_height(self) -> int:
        """As tall as the hits need, up to MAX_HEIGHT: four hits sat over an
        empty white box, and "Nothing found" over an empty list."""
        rows = sum(
            1 + (group.childCount() if group is not None else 0)
            for group in (
                self.results.topLevelItem(i) for i in range(self.results.topLevelItemCount())
            )
        )
        self.results.setVisible(rows > 0)
        layout = self.layout()
        assert layout is not None
        margins = layout.contentsMargins()
        edit = max(self.edit.sizeHint().height(), self.edit.minimumHeight())
        height = margins.top() + margins.bottom() + edit
        if not self.status.isHidden():
            height += layout.spacing() + self.status.sizeHint().height()
        if rows:
            row = max(self.results.sizeHintForRow(0), self.results.fontMetrics().height())
            height += layout.spacing() + rows * row + 2 * self.results.frameWidth()
        frame = 2 * self.frameWidth()
        return min(MAX_HEIGHT, height + frame)

    def _fit(self) -> None:
        if self.isVisible():
            height = self._fitting_height()
            layout = self.layout()
            assert layout is not None
            layout.activate()  # the list shown or hidden: the minimum follows
            self.resize(self.width(), max(height, self.minimumSizeHint().height()))

    def _selectable(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        for i in range(self.results.topLevelItemCount()):
            group = self.results.topLevelItem(i)
            assert group is not None
            children = (group.child(j) for j in range(group.childCount()))
            out.extend(child for child in children if child is not None)
        return out

    def _step(self, delta: int) -> None:
        items = self._selectable()
        if not items:
            return
        current = self.results.currentItem()
        index = items.index(current) if current in items else -1
        self.results.setCurrentItem(items[max(0, min(len(items) - 1, index + delta))])

    def open_current(self) -> None:
        item = self.results.currentItem()
        data = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if data:
            kind, object_id, title = data
            self.hide()
            self.open_requested.emit(kind, object_id, title)

    def _on_results_item_activated(self, _item: QTreeWidgetItem, _column: int) -> None:
        self.open_current()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key == Qt.Key.Key_Down:
                self._step(1)
                return True
            if key == Qt.Key.Key_Up:
                self._step(-1)
                return True
            if key == Qt.Key.Key_Escape:
                self.hide()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._debounce.isActive():
                    self._debounce.stop()
                    self.run_search()
                self.open_current()
                return True
        return super().eventFilter(watched, event)
