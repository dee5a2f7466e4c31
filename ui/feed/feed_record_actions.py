"""The tasks and notes of a feed: edit a task or a note in its dialog (F2),
remove it with Undo (a colleague's note only by its author or an
administrator: the rule the use case refuses by), show its history
(Ctrl+H).

A mixin under :class:`~ui.feed.feed_item_actions.FeedItemActions` (whose
context menu and Delete offer these), kept apart by meaning; its strings
are translated in this class's context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.views import FeedItem
from services.interactions import note_edits
from services.interactions.note_edits import NoteView
from services.interactions.tasks import TaskView
from ui.dialogs.note_actions import NoteActions, quoted
from ui.dialogs.record_history_dialog import RecordHistoryDialog
from ui.dialogs.task_actions import TaskActions
from ui.widgets import plain

if TYPE_CHECKING:
    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import QWidget

    from ui.context import UiContext
    from ui.feed.feed_model import FeedModel
    from ui.widgets.undo_bar import UndoBar

    _Base = QWidget
else:
    _Base = object  # at run time a plain mixin: the view brings QWidget


class FeedRecordActions(_Base):
    """Edit, remove and show the history of a task or a note; the widgets
    they use (model, undo bar) are the view's."""

    # --- tasks: edit, done, reopen, remove with undo ---------------------------------

    @property
    def task_actions(self) -> TaskActions:
        """Made at the first use: most feeds never edit a task."""
        actions: TaskActions | None = getattr(self, "_task_actions", None)
        if actions is None:
            actions = self._task_actions = TaskActions(self._ctx, self)
            actions.saved.connect(self._on_task_saved)
            actions.removed.connect(self._on_task_removed)
        return actions

    def edit_task(self, item: FeedItem) -> None:
        self.task_actions.edit(item.id)

    def remove_task(self, item: FeedItem) -> None:
        self.task_actions.remove(item.id, item.title)

    def _on_task_saved(self, view: TaskView) -> None:
        self._reselect = ("task", view.id)
        self.model.refresh()
        self.changed.emit()

    def _on_task_removed(self, view: TaskView) -> None:
        self.model.refresh()
        self.undo_bar.show_message(
            self.tr("Task %1 removed").replace("%1", plain.quoted(view.title)),
            lambda: self.task_actions.undo_remove(view),
        )
        self.changed.emit()

    # --- notes: edit, remove with undo -----------------------------------------------

    @property
    def note_actions(self) -> NoteActions:
        """Made at the first use, as the task actions."""
        actions: NoteActions | None = getattr(self, "_note_actions", None)
        if actions is None:
            actions = self._note_actions = NoteActions(self._ctx, self)
            actions.saved.connect(self._on_note_saved)
            actions.removed.connect(self._on_note_removed)
        return actions

    def may_change_note(self, item: FeedItem) -> bool:
        """Edit and Remove are offered by the rule the use case refuses by."""
        return item.owner_id is not None and note_edits.may_change(self._ctx.actor, item.owner_id)

    def _note_is_changeable(self, item: FeedItem) -> bool:
        if self.may_change_note(item):
            return True
        self.undo_bar.show_message(
            self.tr("A colleague's note: only its author or an administrator may change it")
        )
        return False

    def edit_note(self, item: FeedItem) -> None:
        if self._note_is_changeable(item):
            self.note_actions.edit(item.id)

    def edit_current(self) -> None:
        """F2 on the feed: a task or a note in its dialog."""
        item = self.current_item()
        if item is not None and item.kind == "task":
            self.edit_task(item)
        elif item is not None and item.kind == "note":
            self.edit_note(item)

    def remove_note(self, item: FeedItem) -> None:
        if self._note_is_changeable(item):
            self.note_actions.remove(item.id, item.text or item.title)

    def show_history(self, item: FeedItem) -> None:
        """Who changed a task or a note, when, old → new."""
        if item.kind not in ("task", "note"):
            return
        label = item.title if item.kind == "task" else item.text or item.title
        self.history_dialog = dialog = RecordHistoryDialog(
            self._ctx, item.kind, item.id, label, self.model.display_zone, self
        )
        dialog.open()

    def history_current(self) -> None:
        item = self.current_item()
        if item is not None:
            self.show_history(item)

    def _on_note_saved(self, view: NoteView) -> None:
        self._reselect = ("note", view.id)
        self.model.refresh()
        self.changed.emit()

    def _on_note_removed(self, view: NoteView) -> None:
        self.model.refresh()
        self.undo_bar.show_message(
            self.tr("Note %1 removed").replace("%1", plain.quoted(quoted(view.body))),
            lambda: self.note_actions.undo_remove(view),
        )
        self.changed.emit()

    if TYPE_CHECKING:
        # What the view defines, for the type checker
        # only. Last in the class: pyside6-lupdate loses the translation
        # context of the code after a def inside an if.
        changed: Signal
        _ctx: UiContext
        _reselect: tuple[str, int] | None
        model: FeedModel
        undo_bar: UndoBar
        history_dialog: RecordHistoryDialog | None

        def current_item(self) -> FeedItem | None: ...
