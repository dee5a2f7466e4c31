"""What a card's feed does to a note: edit it in a dialog, remove it after a
question (Cancel is the default), bring a removed one back (Undo)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from services.interactions import note_edits
from services.interactions import use_cases as interactions
from ui.context import UiContext
from ui.dialogs.note_dialog import NoteDialog
from ui.widgets import plain
from ui.widgets.questions import confirm_destructive
from ui.widgets.work import Work

QUOTED_CHARS = 80  # of a note's text in the question


def quoted(text: str) -> str:
    """A note's start in one line, for a question or a message."""
    line = " ".join(text.split())
    return line if len(line) <= QUOTED_CHARS else line[: QUOTED_CHARS - 1] + "…"


class NoteActions(QObject):
    """``removed`` fires with the note as it was (for an Undo)."""

    saved = Signal(object)  # NoteView
    removed = Signal(object)  # NoteView

    def __init__(self, ctx: UiContext, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._parent = parent
        self._work = Work(ctx, self)
        self.dialog: NoteDialog | None = None
        # The question before a removal; tests replace it.
        self.confirm: Callable[[str, str], bool] = self._confirm

    def edit(self, note_id: int) -> None:
        self.dialog = dialog = NoteDialog(self._ctx, note_id, self._parent)
        dialog.saved.connect(self.saved)
        dialog.open()

    def remove(self, note_id: int, text: str) -> None:
        question = self.tr("Remove the note %1? It is deleted for everyone.").replace(
            "%1", plain.quoted(quoted(text))
        )
        if not self.confirm(self.tr("Remove note"), question):
            return
        self._work.run(
            lambda db, actor: interactions.remove_note(db, actor, note_id), self.removed.emit
        )

    def undo_remove(self, view: note_edits.NoteView) -> None:
        self._work.run(
            lambda db, actor: interactions.undo_remove_note(db, actor, view), self.saved.emit
        )

    def _confirm(self, title: str, text: str) -> bool:
        return confirm_destructive(self._parent, title, text, self.tr("Remove"))
