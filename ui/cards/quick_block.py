"""The quick block of a card (SPEC B3): a note (with @mentions), a task
(deadline, assignee), SMS (needs a provider); the one memo is in
``memo_box.py``."""

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
        """The card (read again when a colleague is added, renamed or
        deactivated elsewhere: the assignee picked on the same card stays
        while that colleague is listed)."""
        same = self._target == (kind, object_id)
        self._target = (kind, object_id)
        self._zone = zone
        self._set_users(users, self.assignee.currentData() if same else self._ctx.actor.id)

    def _set_users(self, users: Sequence[UserView], chosen: object) -> None:
        """The assignees to pick from; ``chosen`` stays picked while listed,
        else the user themself."""
        self._users = list(users)
        self.assignee.clear()
        for user in users:
            self.assignee.addItem(
                self.tr("Assignee: %1").replace("%1", user.full_name or user.login), user.id
            )
        index = self.assignee.findData(chosen)
        if index < 0:
            index = self.assignee.findData(self._ctx.actor.id)
        self.assignee.setCurrentIndex(max(index, 0))

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
