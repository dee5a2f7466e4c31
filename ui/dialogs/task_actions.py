"""What the agenda and a card's feed do to a task: edit it in a dialog,
reopen it when done, remove it after a question (Cancel is the default)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from services.interactions import tasks
from services.interactions import use_cases as interactions
from ui.context import UiContext
from ui.dialogs.task_dialog import TaskDialog
from ui.widgets.plain import quoted
from ui.widgets.questions import confirm_destructive
from ui.widgets.work import Work


class TaskActions(QObject):
    """``removed`` fires with the task as it was (for an Undo)."""

    saved = Signal(object)  # TaskView
    removed = Signal(object)  # TaskView

    def __init__(self, ctx: UiContext, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._parent = parent
        self._work = Work(ctx, self)
        self.dialog: TaskDialog | None = None
        # The question before a removal; tests replace it.
        self.confirm: Callable[[str, str], bool] = self._confirm

    def edit(self, task_id: int) -> None:
        self.dialog = dialog = TaskDialog(self._ctx, task_id, self._parent)
        dialog.saved.connect(self.saved)
        dialog.open()

    def reopen(self, task_id: int) -> None:
        self._work.run(
            lambda db, actor: interactions.reopen_task(db, actor, task_id), self.saved.emit
        )

    def complete(self, task_id: int) -> None:
        self._work.run(
            lambda db, actor: interactions.complete_task(db, actor, task_id), self.saved.emit
        )

    def remove(self, task_id: int, title: str) -> None:
        question = self.tr("Remove the task %1? It is deleted for everyone.").replace(
            "%1", quoted(title)
        )
        if not self.confirm(self.tr("Remove task"), question):
            return
        self._work.run(
            lambda db, actor: interactions.remove_task(db, actor, task_id), self.removed.emit
        )

    def undo_remove(self, view: tasks.TaskView) -> None:
        self._work.run(
            lambda db, actor: interactions.undo_remove_task(db, actor, view), self.saved.emit
        )

    def _confirm(self, title: str, text: str) -> bool:
        return confirm_destructive(self._parent, title, text, self.tr("Remove"))
