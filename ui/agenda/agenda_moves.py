"""Moving and changing the agenda's selected item: Reschedule (tomorrow
morning, in 3 days, next week, a date and time) for a planned interaction
and a task alike (a task's deadline is a wall time in the display zone),
and a task's Edit (F2) and Remove (Del, after a question); the row's
context menu (right click, the Menu key or Shift+F10) with what applies.

A mixin of :class:`~ui.agenda.agenda_panel.AgendaPanel`, kept apart so
that the panel's module reads as the list; its strings are translated in
this class's context.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QTreeWidget, QWidget

from services.core import timezones
from services.core.views import AgendaItem
from services.interactions import use_cases as interactions
from ui.agenda import agenda_source
from ui.agenda.reschedule_dialog import WhenDialog, next_working_morning
from ui.dialogs.task_actions import TaskActions
from ui.shell.icons import icon
from ui.widgets import claimed_keys

if TYPE_CHECKING:
    _Base = QWidget
else:
    _Base = object  # at run time a plain mixin: the panel brings QWidget

MOVABLE = ("interaction", "task")


def menu_key(key: Qt.Key | str) -> str:
    """A key after a tab, shown where a menu shows a shortcut, not bound to it."""
    return "\t" + QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


class AgendaMoves(_Base):
    def _reschedule_menu(self, parent: QWidget | None = None) -> QMenu:
        menu = QMenu(parent or self)
        menu.addAction(self.tr("Tomorrow morning"), lambda: self._move_selected(1))
        menu.addAction(self.tr("In 3 days"), lambda: self._move_selected(3))
        menu.addAction(self.tr("Next week"), lambda: self._move_selected(-1))
        menu.addSeparator()
        menu.addAction(self.tr("Choose date and time…"), self.reschedule_selected)
        return menu

    def _task_menu(self, menu: QMenu, item: AgendaItem) -> None:
        if item.kind != "task":
            return
        menu.addSeparator()
        edit = menu.addAction(self.tr("Edit task…"), self.edit_selected)
        edit.setShortcut("F2")
        remove = menu.addAction(icon("cancel"), self.tr("Remove task…"), self.remove_selected)
        remove.setShortcut("Del")

    def _on_tree_context_menu(self, pos: QPoint) -> None:
        """Right click or the Menu key: what applies to the row, with its keys."""
        index = self.tree.indexAt(pos)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        item = self.selected_item()
        if item is None:
            return
        menu = QMenu(self)
        # keys named after a tab, not bound: the panel's own shortcuts act
        opens = menu.addAction(icon("open"), self.tr("Open card") + menu_key(Qt.Key.Key_Enter))
        opens.triggered.connect(self.open_selected)
        opens.setEnabled(agenda_source.opens(item) is not None)
        menu.addSeparator()
        done = menu.addAction(icon("done"), self.tr("Done") + menu_key("Ctrl+D"))
        done.triggered.connect(self.complete_selected)
        sub = self._reschedule_menu(menu)  # goes with the menu, not kept by the panel
        sub.setTitle(self.tr("Reschedule"))
        sub.setIcon(icon("reschedule"))
        sub.setEnabled(self._movable() is not None)
        menu.addMenu(sub)
        self._task_menu(menu, item)
        if self.context_menu is not None:
            self.context_menu.deleteLater()
        self.context_menu = menu
        menu.popup(self.tree.viewport().mapToGlobal(pos))

    def _on_menu_key(self) -> None:
        """The Menu key (or Shift+F10) opens the menu at the selected row."""
        current = self.tree.currentItem()
        if current is not None:
            self.tree.scrollToItem(current)
            self._on_tree_context_menu(self.tree.visualItemRect(current).center())

    def _claim_task_keys(self, tree: QWidget) -> None:
        """F2 edits and Del removes the selected task while the list has the
        focus (the window's F2 edits the card in front elsewhere)."""
        claimed_keys.claim(tree, QKeySequence("F2"), self.edit_selected)
        for key in (QKeySequence(Qt.Key.Key_Menu), QKeySequence("Shift+F10")):
            claimed_keys.claim(tree, key, self._on_menu_key)
        claimed_keys.claim(
            tree, QKeySequence(QKeySequence.StandardKey.Delete), self.remove_selected
        )

    def _movable(self) -> AgendaItem | None:
        item = self.selected_item()
        if item is None or item.kind not in MOVABLE:
            return None
        if item.kind == "interaction" and item.start is None:
            return None
        return item

    def _wall(self, item: AgendaItem) -> dt.datetime:
        """Where the item stands now as a naive wall time (its own zone; a
        task without a deadline: tomorrow morning)."""
        if item.start is None:
            return next_working_morning(dt.datetime.now(), 1)
        return item.start.replace(tzinfo=None)

    def _move_selected(self, days: int) -> None:
        item = self._movable()
        if item is None:
            return
        base = dt.datetime.now()
        target = next_working_morning(base, 7 - base.weekday() if days < 0 else days)
        start = self._wall(item)
        self._reschedule_item(item, target.replace(hour=start.hour, minute=start.minute))

    def reschedule(self, interaction_id: int, when: dt.datetime) -> None:
        """Move to ``when``, a wall time in the interaction's own zone."""
        self._write(lambda db, actor: interactions.reschedule(db, actor, interaction_id, when))

    def reschedule_task(self, task_id: int, when: dt.datetime) -> None:
        """A task's new deadline ``when``, a wall time in the display zone."""
        deadline = timezones.wall_to_utc(when, self.zone)
        self._write(lambda db, actor: interactions.reschedule_task(db, actor, task_id, deadline))

    def _reschedule_item(self, item: AgendaItem, when: dt.datetime) -> None:
        if item.kind == "task":
            self.reschedule_task(item.id, when)
        else:
            self.reschedule(item.id, when)

    def reschedule_selected(self) -> None:
        item = self._movable()
        if item is None:
            return
        self.dialog = dialog = WhenDialog(self.tr("Reschedule"), self._wall(item), parent=self)
        dialog.accepted.connect(lambda: self._reschedule_item(item, dialog.value()))
        dialog.open()

    def edit_selected(self) -> None:
        item = self.selected_item()
        if item is not None and item.kind == "task":
            self.tasks.edit(item.id)

    def remove_selected(self) -> None:
        item = self.selected_item()
        if item is not None and item.kind == "task":
            self.tasks.remove(item.id, item.subject or "")

    if TYPE_CHECKING:
        # What the panel defines, for the type checker only. Last in the
        # class: pyside6-lupdate loses the translation context of the code
        # after a def inside an if.
        dialog: Any
        context_menu: QMenu | None
        tasks: TaskActions
        tree: QTreeWidget
        zone: str

        def selected_item(self) -> AgendaItem | None: ...
        def complete_selected(self) -> None: ...
        def open_selected(self) -> None: ...
        def _write(self, use_case: Any, on_error: Any = None) -> None: ...
