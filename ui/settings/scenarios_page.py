"""Settings → Scenarios (issue #17, seed 000 "Применение сценария"): the
chains of calls, letters and meetings a manager applies to a client, listed
on the left with their active flag and description, edited on the right."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.core.access import Actor, Permission
from services.core.changes import Changes
from services.interactions import types as itypes
from services.interactions.types import TypeView
from services.scenarios import store as scenarios
from services.scenarios import use_cases as scenario_cases
from services.scenarios.store import ScenarioView
from services.templates import store as templates
from services.templates.store import TemplateView
from ui.context import UiContext
from ui.scenarios.scenario_editor import ScenarioEditor, offline_note
from ui.shell.icons import icon
from ui.widgets.empty_state import EmptyHint
from ui.widgets.plain import plain_label
from ui.widgets.questions import ask_destructive
from ui.widgets.restore_dialog import RestoreDialog
from ui.widgets.undo_bar import UndoBar
from ui.widgets.work import Uow, Work


@dataclasses.dataclass(frozen=True)
class Loaded:
    scenarios: list[ScenarioView]
    types: list[TypeView]
    templates: list[TemplateView]
    read_only: bool = False  # a laptop replica: scenarios are the server's


def _load(uow: Uow, actor: Actor) -> Loaded:
    return Loaded(
        scenarios.list_scenarios(uow, actor, include_inactive=True),
        itypes.types(uow, include_hidden=False),
        templates.list_templates(uow, actor),
        scenarios.read_only_here(uow),
    )


def _load_archived(db: Any, actor: Actor) -> list[ScenarioView]:
    with db.reader(actor.id) as uow:
        return scenarios.list_archived(uow, actor)


class ScenariosPage(QWidget):
    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.loaded = False
        self.views: list[ScenarioView] = []
        self.confirm_box: QMessageBox | None = None
        self.archived_dialog: RestoreDialog | None = None
        self.read_only = False
        self.offline_note = plain_label(offline_note())
        self.offline_note.setWordWrap(True)
        self.offline_note.setVisible(False)

        self.new_button = QPushButton(icon("new"), self.tr("New scenario"))
        self.new_button.clicked.connect(self.new_scenario)
        self.list = QTableWidget(0, 2)
        self.list.setHorizontalHeaderLabels([self.tr("Scenario"), self.tr("Active")])
        self.list.setWordWrap(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.verticalHeader().setVisible(False)
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.list.currentCellChanged.connect(self._on_list_current_cell_changed)
        self.show_inactive = QCheckBox(self.tr("Show inactive"))
        self.show_inactive.setChecked(True)
        self.show_inactive.toggled.connect(lambda _on: self._fill())
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setToolTip(
            self.tr("Delete the scenario; chains already applied to clients go on")
        )
        self.delete_button.clicked.connect(self.ask_delete)
        self.archived_button = QPushButton(self.tr("Deleted…"))
        self.archived_button.setToolTip(self.tr("Deleted scenarios, to restore one"))
        self.archived_button.clicked.connect(self.show_archived)
        self.undo_bar = UndoBar(self)
        # two rows: in one, the Russian buttons kept the list wider than the
        # editor beside it could spare at 1366 px
        first = QHBoxLayout()
        first.addWidget(self.new_button)
        first.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.archived_button)
        buttons.addStretch(1)
        column.addLayout(first)
        column.addLayout(buttons)
        column.addWidget(self.offline_note)
        column.addWidget(self.list, 1)
        column.addWidget(self.show_inactive)
        column.addWidget(self.undo_bar)

        self.editor = ScenarioEditor(ctx)
        self.editor.saved.connect(self._on_editor_saved)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.editor)
        self.empty = EmptyHint(
            self.tr("No scenarios yet"),
            self.tr(
                "A scenario is a chain of calls, letters and meetings with a client, each a "
                "few working days after the one before. Applied from a card, it plans them all."
            ),
            self.tr("New scenario"),
        )
        self.empty.action_clicked.connect(self.new_scenario)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(scroll)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 900])
        outer = QHBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        outer.addWidget(splitter)
        self.new_button.setEnabled(ctx.actor.can(Permission.INTERACTIONS))
        self.delete_button.setEnabled(False)
        ctx.bus.changed.connect(self._on_bus_changed)

    def refresh(self) -> None:
        self._work.read(_load, self._on_loaded)

    def _on_bus_changed(self, changes: Changes) -> None:
        """A type or template added elsewhere is offered at once; what is
        being edited stays as it is."""
        if self.loaded and any(
            changes.touches(kind) for kind in ("interaction_type", "template", "scenario")
        ):
            self.refresh()

    def _on_loaded(self, loaded: Loaded) -> None:
        self.loaded = True
        self.views = loaded.scenarios
        self._set_read_only(loaded.read_only)
        self.editor.set_choices(loaded.types, loaded.templates)
        self.editor.show_chosen_step()
        current = self.editor.current
        self._fill(current.id if current else None)

    def shown(self) -> list[ScenarioView]:
        return [v for v in self.views if v.active or self.show_inactive.isChecked()]

    def _fill(self, select: int | None = None) -> None:
        shown = self.shown()
        self.list.blockSignals(True)
        self.list.setRowCount(len(shown))
        for row, view in enumerate(shown):
            # the description under the name, so the list says what each is for
            name = QTableWidgetItem(
                f"{view.name}\n{view.description}" if view.description else view.name
            )
            name.setToolTip(view.description or view.name)
            name.setData(Qt.ItemDataRole.UserRole, view.id)
            active = QTableWidgetItem(self.tr("yes") if view.active else self.tr("no"))
            if not view.active:
                name.setForeground(self.palette().placeholderText())
            self.list.setItem(row, 0, name)
            self.list.setItem(row, 1, active)
        self.list.resizeRowsToContents()
        self.list.blockSignals(False)
        ids = [v.id for v in shown]
        if select in ids:
            self.list.selectRow(ids.index(select))
            self.stack.setCurrentIndex(1)
        elif self.editor.current is None and self.stack.currentIndex() == 1:
            pass  # a new scenario being written stays
        elif shown:
            self.list.selectRow(0)
            self.open(shown[0])
        else:
            self.stack.setCurrentIndex(0)

    def _set_read_only(self, read_only: bool) -> None:
        """On a laptop replica the scenarios come from the server: shown, not
        edited (editing is an online action), with a line saying so."""
        self.read_only = read_only
        self.editor.read_only = read_only
        self.offline_note.setVisible(read_only)
        self.new_button.setEnabled(not read_only and self._ctx.actor.can(Permission.INTERACTIONS))
        self.archived_button.setEnabled(not read_only)
        self.empty.setEnabled(not read_only)

    def open(self, view: ScenarioView | None) -> None:
        self.editor.load(view)
        self.stack.setCurrentIndex(1)
        actor = self._ctx.actor
        self.delete_button.setEnabled(
            not self.read_only
            and view is not None
            and actor.can(Permission.INTERACTIONS)
            and (view.author_id == actor.id or actor.can_admin())
        )

    # --- deleting (archive) and its undo ---------------------------------------------

    def ask_delete(self) -> None:
        """After a confirmation; the undo bar brings it back."""
        view = self.editor.current
        if view is None:
            return
        self.confirm_box = ask_destructive(
            self,
            self.tr("Delete scenario"),
            self.tr(
                "Delete the scenario «%1»? It will no longer be offered; "
                "chains already applied to clients go on."
            ).replace("%1", view.name),
            self.tr("Delete scenario"),
            lambda: self._work.run(
                lambda db, actor: scenario_cases.archive_scenario(db, actor, view.id),
                self._on_deleted,
            ),
        )

    def _on_deleted(self, view: ScenarioView) -> None:
        self.views = [v for v in self.views if v.id != view.id]
        if self.editor.current is not None and self.editor.current.id == view.id:
            self.editor.load(view)  # its unsaved edits went with it: none to ask about
        self._fill()  # opens the first one left, or says there are none
        if not self.shown():
            self.delete_button.setEnabled(False)

        def undo() -> None:
            self._work.run(
                lambda db, actor: scenario_cases.restore_scenario(db, actor, view.id),
                self._on_editor_saved,
            )

        self.undo_bar.show_message(self.tr("Scenario «%1» deleted.").replace("%1", view.name), undo)

    def show_archived(self) -> RestoreDialog:
        dialog = RestoreDialog(
            self._ctx,
            self.tr("Deleted scenarios"),
            self.tr("No deleted scenarios."),
            _load_archived,
            lambda scenario_id: (
                lambda db, actor: scenario_cases.restore_scenario(db, actor, scenario_id)
            ),
            self,
        )
        dialog.restored.connect(self._on_editor_saved)
        dialog.finished.connect(dialog.deleteLater)
        self.archived_dialog = dialog
        dialog.open()
        return dialog

    def new_scenario(self) -> None:
        self._leave(lambda: self._start_new())

    def _start_new(self) -> None:
        self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.setCurrentCell(-1, -1)
        self.list.blockSignals(False)
        self.open(None)
        self.editor.name.setFocus()

    def _on_list_current_cell_changed(self, row: int, *_args: int) -> None:
        shown = self.shown()
        if 0 <= row < len(shown) and (
            self.editor.current is None or self.editor.current.id != shown[row].id
        ):
            self._leave(lambda: self.open(shown[row]))

    def _leave(self, then: Callable[[], None]) -> None:
        """Go on at once, or after the user agreed to drop unsaved edits."""
        if not self.editor.dirty() or self.stack.currentIndex() == 0:
            then()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Unsaved changes"),
            self.tr("Drop the changes to this scenario?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        self.confirm_box = box

        def answered(result: int) -> None:
            self.confirm_box = None
            if result == QMessageBox.StandardButton.Discard:
                then()
            else:  # stay: the list shows the scenario still being edited
                current = self.editor.current
                self._fill(current.id if current else None)

        box.finished.connect(answered)
        box.open()

    def _on_editor_saved(self, view: ScenarioView) -> None:
        self.views = [v for v in self.views if v.id != view.id] + [view]
        self.views.sort(key=lambda v: (v.name.casefold(), v.id))
        self._fill(view.id)
