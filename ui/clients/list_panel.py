"""Clients, leads or contact persons: a search box (debounced, searched in
SQL), the lazily paged table, and the card on double click or Enter."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.core.changes import Changes
from ui.clients.list_model import LazyListModel, Query
from ui.clients.sources import source_for
from ui.context import UiContext
from ui.shell.icons import icon
from ui.widgets import find_key
from ui.widgets.row_table import row_table

DEBOUNCE_MS = 250


class ListPanel(QWidget):
    open_requested = Signal(str, object, str)  # kind, id, title
    count_known = Signal(object)  # rows of the unfiltered list (for the empty state)
    new_requested = Signal(str)  # kind
    action_requested = Signal(str, object, str)  # kind, id, action: edit | archive | unarchive

    def __init__(self, ctx: UiContext, kind: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.source = source_for(kind)
        self.model = LazyListModel(ctx, self.source, self)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setPlaceholderText(self.source.placeholder())
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.installEventFilter(self)
        find_key.bind(self, self.search)
        self.count = QLabel()
        self.count.setProperty("role", "muted")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)

        self.table = row_table(self.model)
        self.table.setObjectName(f"{kind}_list")  # bench/startup.py waits for its paint
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        header.setStretchLastSection(False)
        average = self.fontMetrics().averageCharWidth()
        for column, width in enumerate(self.source.widths()):
            if width:
                self.table.setColumnWidth(column, width * average + 16)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._on_table_activated)
        self.table.doubleClicked.connect(self._on_table_activated)
        self.model.count_known.connect(self._on_model_count_known)
        self.model.page_loaded.connect(self._on_model_page_loaded)

        self.archived = QCheckBox(self.tr("Archived"))
        self.archived.setToolTip(self.tr("Show only the archived cards, to bring one back"))
        self.archived.toggled.connect(self._on_archived_toggled)
        self.new_button = QPushButton(icon("new"), self._new_text())
        self.new_button.clicked.connect(lambda: self.new_requested.emit(self.kind))
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(self.archived)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._sort = (self.source.columns()[0].key, False)
        self._loaded = False
        ctx.bus.changed.connect(self._on_bus_changed)

    def _on_bus_changed(self, changes: Changes) -> None:
        """Cards of this list's kind (or their addresses) changed, by anyone:
        read again now if on screen, else on the next show."""
        # A deputy period set or ended changes whose cards the user sees (a
        # colleague seen or no longer seen: "user"), and a colleague's name
        # is the owner column.
        kinds = (self.kind, "contact_point", "deputy", "user")
        if not self._loaded or not any(changes.touches(kind) for kind in kinds):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._loaded = False

    def refresh(self) -> None:
        """(Re)load from the first page; the first call happens on first show."""
        self._loaded = True
        self.model.set_query(self._query())

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def selected(self) -> tuple[str, int] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return (self.kind, self.model.id_at(rows[0].row()))

    def _new_text(self) -> str:
        if self.kind == "client":
            return self.tr("New client")
        if self.kind == "lead":
            return self.tr("New lead")
        return self.tr("New contact person")

    def _query(self) -> Query:
        return Query(
            self.search.text().strip(), self._sort[0], self._sort[1], self.archived.isChecked()
        )

    def _on_archived_toggled(self, _checked: bool) -> None:
        if self._loaded:
            self.model.set_query(self._query())

    def _on_search_text_changed(self, _text: str) -> None:
        self._debounce.start()

    def _on_debounce_timeout(self) -> None:
        if self._query() != self.model.query:
            self.model.set_query(self._query())

    def _on_header_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        header = self.table.horizontalHeader()
        if not self.model.is_sortable(column):
            current = [c.key for c in self.source.columns()].index(self._sort[0])
            previous = (
                Qt.SortOrder.DescendingOrder if self._sort[1] else Qt.SortOrder.AscendingOrder
            )
            header.blockSignals(True)
            header.setSortIndicator(current, previous)
            header.blockSignals(False)
            return
        self._sort = (self.source.columns()[column].key, order == Qt.SortOrder.DescendingOrder)
        self.model.set_query(self._query())

    def _on_model_count_known(self, total: Any) -> None:
        text = self.model.query.text
        if total is None:
            self.count.setText("")
        elif text and not total:
            self.count.setText(self.tr("Nothing found"))
        else:
            self.count.setText(self.source.count_text(int(total)))
        if not text and not self.archived.isChecked():
            self.count_known.emit(int(total or 0))

    def _on_model_page_loaded(self) -> None:
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_row(index.row())

    def open_row(self, row: int) -> None:
        self.open_requested.emit(
            self.kind, self.model.id_at(row), self.source.title(self.model.row_at(row))
        )

    def _on_table_context_menu(self, pos: Any) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self)
        action = menu.addAction(icon("open"), self.tr("Open card"))
        action.triggered.connect(lambda: self.open_row(index.row()))
        ident = self.model.id_at(index.row())
        edit = menu.addAction(self.tr("Edit…"))
        edit.triggered.connect(lambda: self.action_requested.emit(self.kind, ident, "edit"))
        if self.archived.isChecked():
            back = menu.addAction(self.tr("Unarchive"))
            back.triggered.connect(
                lambda: self.action_requested.emit(self.kind, ident, "unarchive")
            )
        else:
            gone = menu.addAction(self.tr("Archive"))
            gone.triggered.connect(lambda: self.action_requested.emit(self.kind, ident, "archive"))
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
                self.table.setFocus()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._on_debounce_timeout()
                if not self.model.rowCount():
                    return True
                rows = self.table.selectionModel().selectedRows()
                self.open_row(rows[0].row() if rows else 0)
                return True
        return super().eventFilter(watched, event)
