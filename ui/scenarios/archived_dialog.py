"""Deleted scenarios, with Restore (Settings → Scenarios → "Deleted…"). A
deleted scenario keeps its row, but its name is free for a new one; restoring
into a name taken since is refused by the service with its clear message,
and the scenario stays in this list."""

from __future__ import annotations

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

from services.scenarios import store as scenarios
from services.scenarios import use_cases as scenario_cases
from services.scenarios.store import ScenarioView
from ui.context import UiContext
from ui.widgets.work import Work


class ArchivedScenariosDialog(QDialog):
    restored = Signal(object)  # the ScenarioView back in the list

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Deleted scenarios"))
        self._work = Work(ctx, self)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Deleted scenarios"))
        self.empty = QLabel(self.tr("No deleted scenarios."))
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
        self._work.read(scenarios.list_archived, self.show_archived)

    def show_archived(self, found: list[ScenarioView]) -> None:
        self.list.clear()
        for view in found:
            item = QListWidgetItem(view.name)  # plain text: a typed name
            item.setData(Qt.ItemDataRole.UserRole, view.id)
            self.list.addItem(item)
        self.empty.setVisible(not found)
        self.list.setVisible(bool(found))
        self.restore_button.setEnabled(self.list.currentRow() >= 0)

    def names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def restore_current(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        scenario_id = int(item.data(Qt.ItemDataRole.UserRole))
        self._work.run(
            lambda db, actor: scenario_cases.restore_scenario(db, actor, scenario_id),
            self._on_restored,
        )

    def _on_restored(self, view: ScenarioView) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == view.id:
                self.list.takeItem(row)
                break
        self.empty.setVisible(self.list.count() == 0)
        self.list.setVisible(self.list.count() > 0)
        self.restored.emit(view)
