"""A list of deleted (archived) rows with Restore: Settings → Scenarios →
"Deleted…" and Settings → Sources & rules → "Removed…". A deleted row keeps
its data but not its name, which is free for a new one; restoring into a name
taken since is refused by the service with its clear message, and the row
stays in this list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from ui.context import UiContext
from ui.widgets.work import Work

# (db, actor) -> the deleted rows, each with ``id`` and ``name``
Load = Callable[[Any, Any], list[Any]]
# id -> a use case (db, actor) -> Outcome of the restored row
Restore = Callable[[int], Callable[[Any, Any], Any]]


class RestoreDialog(QDialog):
    restored = Signal(object)  # the view of the row back in its list

    def __init__(
        self,
        ctx: UiContext,
        title: str,
        empty_text: str,
        load: Load,
        restore: Restore,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._work = Work(ctx, self)
        self._restore = restore
        self.list = QListWidget()
        self.list.setAccessibleName(title)
        self.empty = QLabel(empty_text)
        self.empty.setProperty("role", "muted")
        self.restore_button = QPushButton(self.tr("Restore"))
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_current)
        self.list.currentRowChanged.connect(lambda row: self.restore_button.setEnabled(row >= 0))
        self.list.itemActivated.connect(lambda _item: self.restore_current())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.list, 1)
        column.addWidget(self.empty)
        column.addWidget(buttons)
        self.resize(420, 360)
        self._work.submit(ctx.reads, lambda: load(ctx.db, ctx.actor), self.show_rows, None)

    def show_rows(self, found: list[Any]) -> None:
        self.list.clear()
        for row in found:
            item = QListWidgetItem(row.name)  # plain text: a typed name
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.list.addItem(item)
        self._show_list()

    def _show_list(self) -> None:
        self.empty.setVisible(self.list.count() == 0)
        self.list.setVisible(self.list.count() > 0)
        self.restore_button.setEnabled(self.list.currentRow() >= 0)

    def names(self) -> list[str]:
        items = (self.list.item(i) for i in range(self.list.count()))
        return [item.text() for item in items if item is not None]

    def restore_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._work.run(self._restore(int(item.data(Qt.ItemDataRole.UserRole))), self._restored)

    def _restored(self, view: Any) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == view.id:
                self.list.takeItem(row)
                break
        self._show_list()
        self.restored.emit(view)
