"""The one memo of a card (SPEC B3), edited in place under the quick block."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from services.core.errors import UserError
from services.interactions import use_cases as interactions
from ui.cards.quick_block import section_title
from ui.context import UiContext
from ui.shell import error_text
from ui.widgets.hints import FieldHint
from ui.widgets.plain import plain_label
from ui.widgets.work import Work


class MemoBox(QFrame):
    """The one memo of a card, edited in place."""

    saved = Signal()

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self._target: tuple[str, int] | None = None
        self._text: str | None = None
        self._known = True
        self._replace_confirmed = False
        self.view = plain_label()  # the memo: anyone's text
        self.view.setWordWrap(True)
        self.view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.view.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.edit_button = QPushButton(self.tr("Edit"))
        self.edit_button.setFlat(True)
        self.edit_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.edit_button.clicked.connect(self.start_editing)
        self.editor = QPlainTextEdit()
        self.editor.setFixedHeight(90)
        self.editor.setPlaceholderText(self.tr("What everyone should know about this client"))
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.stop_editing)
        QShortcut(QKeySequence("Ctrl+Return"), self.editor).activated.connect(self.save)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.editor).activated.connect(self.stop_editing)
        self.hint = FieldHint()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        self.edit_row = QWidget()
        edit_col = QVBoxLayout(self.edit_row)
        edit_col.setContentsMargins(0, 0, 0, 0)
        edit_col.setSpacing(4)
        edit_col.addWidget(self.editor)
        edit_col.addWidget(self.hint)
        edit_col.addLayout(buttons)
        self.edit_row.hide()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(section_title(self.tr("Memo")))
        top.addStretch(1)
        top.addWidget(self.edit_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addLayout(top)
        column.addWidget(self.view)
        column.addWidget(self.edit_row)

    @property
    def text(self) -> str | None:
        return self._text

    def set_memo(self, kind: str, object_id: int, text: str | None, known: bool = True) -> None:
        self._target = (kind, object_id)
        self._text = text
        self._known = known
        self._show_text()

    def _show_text(self) -> None:
        if self._text:
            self.view.setText(self._text)
            self.view.setStyleSheet("")
            return
        if self._known:
            self.view.setText(
                self.tr("No memo yet. Click Edit to write what everyone should know.")
            )
        else:  # no service reads memos: do not claim there is none
            self.view.setText(self.tr("Click Edit to write what everyone should know."))
        self.view.setStyleSheet("color: palette(placeholder-text);")

    def start_editing(self) -> None:
        self.editor.setPlainText(self._text or "")
        self.hint.clear_hint()
        self._replace_confirmed = False
        self.view.hide()
        self.edit_button.hide()
        self.edit_row.show()
        self.editor.setFocus()

    def stop_editing(self) -> None:
        self.edit_row.hide()
        self.view.show()
        self.edit_button.show()

    def save(self) -> None:
        if self._target is None:
            return
        kind, object_id = self._target
        body = self.editor.toPlainText().strip()
        if not body:
            self.hint.show_error(self.tr("The memo cannot be empty"))
            return
        # Without a way to read the memo, never overwrite one blindly: add,
        # and replace an existing memo only when the user saves again.
        replace = bool(self._text) or self._replace_confirmed

        save = interactions.edit_memo if replace else interactions.add_memo
        self.save_button.setEnabled(False)
        self._work.run(
            lambda db, actor: save(db, actor, kind, object_id, body),
            lambda _id: self._on_saved(body),
            self._on_failed,
        )

    def _on_saved(self, body: str) -> None:
        self.save_button.setEnabled(True)
        self._text = body
        self._known = True
        self._show_text()
        self.stop_editing()
        self.saved.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, UserError) and not self._known and not self._replace_confirmed:
            self._replace_confirmed = True
            self.hint.show_warning(
                self.tr("This card already has a memo. Save again to replace it with this text.")
            )
        elif isinstance(exc, UserError):
            self.hint.show_error(error_text.message(exc))
        else:
            self._ctx.report_error(exc)
