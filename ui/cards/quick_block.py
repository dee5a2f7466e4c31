"""The quick block of a card (SPEC B3): a note (with @mentions), a task
(deadline, assignee), SMS (needs a provider), and the one memo."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from services.core import timezones
from services.core.errors import UserError
from services.core.views import UserView
from services.interactions import use_cases as interactions
from ui.context import UiContext
from ui.shell import error_text
from ui.widgets.elided import ElidedCombo
from ui.widgets.hints import FieldHint
from ui.widgets.plain import plain_label
from ui.widgets.work import Work

MENTION_AT_END = re.compile(r"(?:^|(?<=\s))@([\w.\-]*)$")


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.82))
    font.setWeight(QFont.Weight.Bold)
    font.setCapitalization(QFont.Capitalization.AllUppercase)
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
    label.setFont(font)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


class QuickBlock(QWidget):
    """Note | Task | SMS. ``added`` fires after a note or task is saved."""

    added = Signal(str)  # "note" | "task"

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self._target: tuple[str, int] | None = None
        self._users: list[UserView] = []
        self._zone = timezones.machine_zone()

        self.note_tab = self._segment(self.tr("Note"))
        self.task_tab = self._segment(self.tr("Task"))
        self.sms_tab = self._segment(self.tr("SMS"))
        self.sms_tab.setEnabled(False)
        self.sms_tab.setToolTip(self.tr("Configure an SMS provider in Settings"))
        self.note_tab.setChecked(True)
        group = QButtonGroup(self)
        group.setExclusive(True)
        for i, button in enumerate((self.note_tab, self.task_tab, self.sms_tab)):
            group.addButton(button, i)
        group.idClicked.connect(self._on_segment_clicked)
        segments = QHBoxLayout()
        segments.setSpacing(0)
        segments.addWidget(self.note_tab)
        segments.addWidget(self.task_tab)
        segments.addWidget(self.sms_tab)
        segments.addStretch(1)

        # note
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(self.tr("Write a note… @login notifies a colleague"))
        self.note_edit.setFixedHeight(72)
        self.note_edit.textChanged.connect(self._on_note_edit_changed)
        self.note_hint = FieldHint()
        self.note_button = QPushButton(self.tr("Add note"))
        self.note_button.setEnabled(False)
        self.note_button.clicked.connect(self.add_note)
        QShortcut(QKeySequence("Ctrl+Return"), self.note_edit).activated.connect(self.add_note)
        note_page = QWidget()
        note_col = QVBoxLayout(note_page)
        note_col.setContentsMargins(0, 0, 0, 0)
        note_col.setSpacing(4)
        note_col.addWidget(self.note_edit)
        note_col.addWidget(self.note_hint)
        note_col.addWidget(self.note_button, 0, Qt.AlignmentFlag.AlignRight)

        # task
        self.task_title = QLineEdit()
        self.task_title.setPlaceholderText(self.tr("What needs doing"))
        self.task_title.textChanged.connect(self._on_task_title_changed)
        self.task_title.returnPressed.connect(self.add_task)
        self.task_date = QDateEdit()
        self.task_date.setCalendarPopup(True)
        self.task_date.setDisplayFormat("ddd d MMM")
        self.task_time = QTimeEdit()
        self.task_time.setDisplayFormat("HH:mm")
        self.assignee = ElidedCombo()
        # a long colleague's name is cut with "…", not widening the side column
        self.assignee.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.assignee.setMinimumContentsLength(8)
        self.task_hint = FieldHint()
        self.task_button = QPushButton(self.tr("Add task"))
        self.task_button.setEnabled(False)
        self.task_button.clicked.connect(self.add_task)
        due = QHBoxLayout()
        due.setSpacing(4)
        due_label = QLabel(self.tr("Due"))
        due.addWidget(due_label)
        due.addWidget(self.task_date, 1)
        due.addWidget(self.task_time)
        task_page = QWidget()
        task_col = QVBoxLayout(task_page)
        task_col.setContentsMargins(0, 0, 0, 0)
        task_col.setSpacing(4)
        task_col.addWidget(self.task_title)
        task_col.addLayout(due)
        task_col.addWidget(self.assignee)
        task_col.addWidget(self.task_hint)
        task_col.addWidget(self.task_button, 0, Qt.AlignmentFlag.AlignRight)
        self._reset_deadline()

        self.pages = QStackedWidget()
        self.pages.addWidget(note_page)
        self.pages.addWidget(task_page)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addLayout(segments)
        column.addWidget(self.pages)

    def _segment(self, text: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setCheckable(True)
        button.setMinimumWidth(64)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setStyleSheet(
            "QToolButton { border: 1px solid palette(mid); padding: 3px 10px;"
            " background: palette(button); }"
            "QToolButton:checked { background: palette(highlight);"
            " color: palette(highlighted-text); border-color: palette(highlight); }"
            "QToolButton:disabled { color: palette(placeholder-text); }"
        )
        return button

    def set_target(self, kind: str, object_id: int, users: Sequence[UserView], zone: str) -> None:
        self._target = (kind, object_id)
        self._users = list(users)
        self._zone = zone
        self.assignee.clear()
        for user in users:
            self.assignee.addItem(
                self.tr("Assignee: %1").replace("%1", user.full_name or user.login), user.id
            )
        self.assignee.setCurrentIndex(max(self.assignee.findData(self._ctx.actor.id), 0))

    def _reset_deadline(self) -> None:
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        self.task_date.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        self.task_time.setTime(QTime(10, 0))

    def _on_segment_clicked(self, index: int) -> None:
        self.pages.setCurrentIndex(min(index, 1))
        (self.note_edit if index == 0 else self.task_title).setFocus()

    # --- note -----------------------------------------------------------------------

    def _on_note_edit_changed(self) -> None:
        text = self.note_edit.toPlainText()
        self.note_button.setEnabled(bool(text.strip()))
        cursor = self.note_edit.textCursor()
        before = text[: cursor.position()]
        match = MENTION_AT_END.search(before)
        if match is None:
            if "@" in text:
                self.note_hint.show_info(
                    self.tr("Mentioned colleagues see this note in their agenda")
                )
            else:
                self.note_hint.clear_hint()
            return
        prefix = match.group(1).casefold()
        found = [
            u
            for u in self._users
            if u.login.casefold().startswith(prefix) or u.full_name.casefold().startswith(prefix)
        ][:3]
        if not found:
            self.note_hint.show_warning(
                self.tr("No colleague with a login starting with @%1").replace("%1", match.group(1))
            )
            return
        names = ", ".join(f"@{u.login} — {u.full_name}" for u in found)
        self.note_hint.show_info(self.tr("Mention: %1").replace("%1", names))

    def add_note(self) -> None:
        text = self.note_edit.toPlainText().strip()
        if not text or self._target is None:
            return
        kind, object_id = self._target
        self.note_button.setEnabled(False)
        self._work.run(
            lambda db, actor: interactions.add_note(db, actor, kind, object_id, text),
            self._on_note_added,
            lambda exc: self._on_failed(exc, self.note_hint, self.note_button),
        )

    def _on_note_added(self, _note_id: int) -> None:
        self.note_edit.clear()
        self.note_hint.clear_hint()
        self.added.emit("note")

    # --- task -----------------------------------------------------------------------

    def _on_task_title_changed(self, text: str) -> None:
        self.task_button.setEnabled(bool(text.strip()))
        self.task_hint.clear_hint()

    def deadline(self) -> dt.datetime:
        d, t = self.task_date.date(), self.task_time.time()
        wall = dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
        return timezones.wall_to_utc(wall, self._zone)

    def add_task(self) -> None:
        title = self.task_title.text().strip()
        if not title or self._target is None:
            return
        kind, object_id = self._target
        try:
            deadline = self.deadline()
        except UserError as exc:
            self.task_hint.show_error(error_text.message(exc))
            return
        assignee = self.assignee.currentData()
        self.task_button.setEnabled(False)
        self._work.run(
            lambda db, actor: interactions.add_task(
                db, actor, kind, object_id, title, deadline=deadline, assignee_id=assignee
            ),
            self._on_task_added,
            lambda exc: self._on_failed(exc, self.task_hint, self.task_button),
        )

    def _on_task_added(self, _task_id: int) -> None:
        self.task_title.clear()
        self._reset_deadline()
        self.added.emit("task")

    def _on_failed(self, exc: BaseException, hint: FieldHint, button: QPushButton) -> None:
        button.setEnabled(True)
        if isinstance(exc, UserError):
            hint.show_error(error_text.message(exc))
        else:
            self._ctx.report_error(exc)


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
