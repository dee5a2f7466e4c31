"""Edit a note: its text (plain text only), saved against the version it was
read at; a colleague's save meanwhile is shown with both texts
(ConflictDialog) instead of being overwritten. ``@login`` in the text
mentions a colleague, as when the note was added."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)

from services.core.errors import EditConflict, UserError
from services.interactions import note_edits
from services.interactions import use_cases as interactions
from ui.context import UiContext
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.shell import error_text
from ui.widgets.hints import FieldHint
from ui.widgets.plain import plain_label
from ui.widgets.work import Work

SHOWN_CHARS = 300  # of a text in the conflict's choice


class NoteDialog(QDialog):
    saved = Signal(object)  # NoteView

    def __init__(self, ctx: UiContext, note_id: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.note_id = note_id
        self.note: note_edits.NoteView | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self.setWindowTitle(self.tr("Edit note"))
        self.author: QLabel = plain_label("")
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(self.tr("Note text; @login mentions a colleague"))
        self.text.textChanged.connect(self._update_buttons)
        self.hint = FieldHint()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self.save)
        column = QVBoxLayout(self)
        column.addWidget(self.author)
        column.addWidget(self.text, 1)
        column.addWidget(self.hint)
        column.addWidget(self.buttons)
        self.setMinimumSize(560, 320)
        self._work.read(lambda uow, actor: note_edits.get(uow, actor, note_id), self._on_loaded)

    def _on_loaded(self, note: note_edits.NoteView) -> None:
        self.note = note
        self.author.setText(self.tr("By %1").replace("%1", note.author_name))
        self.text.setPlainText(note.body)
        self.text.setFocus()
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.note is not None and bool(self.text.toPlainText().strip()))

    def save(self) -> None:
        note = self.note
        body = self.text.toPlainText()
        if note is None or not body.strip():
            return
        version = note.row_version
        self.save_button.setEnabled(False)
        self._work.run(
            lambda db, actor: interactions.edit_note(db, actor, note.id, body, version),
            self._on_saved,
            self._on_failed,
        )

    def _on_saved(self, view: note_edits.NoteView) -> None:
        self.saved.emit(view)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        if isinstance(exc, EditConflict) and self.note is not None:
            self.conflict_dialog = ConflictDialog(exc, self, _shown)
            self.conflict_dialog.ask(self._on_conflict_dialog_accepted)
        elif isinstance(exc, UserError):
            self.hint.show_error(error_text.message(exc))
        else:
            self._ctx.report_error(exc)

    def _on_conflict_dialog_accepted(self) -> None:
        """The chosen text goes into the form, saved against the version
        saved meanwhile."""
        dialog, note = self.conflict_dialog, self.note
        assert dialog is not None
        assert note is not None
        chosen = dialog.choices().get("body")
        if chosen is not None:
            self.text.setPlainText(chosen)
        self.note = dataclasses.replace(note, row_version=dialog.conflict.current_version)
        self.save()


def _shown(_field: str, value: str | None) -> str:
    """A text in one line, cut: the choice names it, the form shows it whole."""
    line = " ".join((value or "").split())
    return line if len(line) <= SHOWN_CHARS else line[: SHOWN_CHARS - 1] + "…"
