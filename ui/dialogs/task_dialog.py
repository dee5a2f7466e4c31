"""Edit a task: its title, deadline (or none) and assignee, saved against
the version it was read at; a colleague's save meanwhile is shown field by
field (ConflictDialog) instead of being overwritten."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
)

from services.core import settings, timezones
from services.core.changes import Changes
from services.core.errors import EditConflict, UserError
from services.core.users import users as active_users
from services.core.views import UserView
from services.interactions import tasks
from services.interactions import use_cases as interactions
from ui.agenda.reschedule_dialog import next_working_morning
from ui.context import UiContext
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.shell import error_text, formatting
from ui.widgets.hints import FieldHint
from ui.widgets.work import Work


@dataclasses.dataclass(frozen=True)
class TaskForm:
    """What the dialog reads before it opens."""

    task: tasks.TaskView
    users: list[UserView]
    zone: str


def load(uow: Any, actor: Any, task_id: int) -> TaskForm:
    return TaskForm(
        tasks.get(uow, actor, task_id), active_users(uow, actor), settings.display_zone(uow)
    )


class TaskDialog(QDialog):
    saved = Signal(object)  # TaskView

    def __init__(self, ctx: UiContext, task_id: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.task_id = task_id
        self.form: TaskForm | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self.setWindowTitle(self.tr("Edit task"))
        self.title = QLineEdit()
        self.title.setMaxLength(tasks.MAX_TITLE)
        self.title.setPlaceholderText(self.tr("What needs doing"))
        self.title.textChanged.connect(self._update_buttons)
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat(
            self.when.locale().dateTimeFormat(QLocale.FormatType.ShortFormat)
        )
        self.no_deadline = QCheckBox(self.tr("No deadline"))
        self.no_deadline.toggled.connect(self.when.setDisabled)
        due = QHBoxLayout()
        due.addWidget(self.when, 1)
        due.addWidget(self.no_deadline)
        self.assignee = QComboBox()
        self.hint = FieldHint()
        form = QFormLayout()
        form.addRow(self.tr("Task"), self.title)
        form.addRow(self.tr("Deadline"), due)
        form.addRow(self.tr("Assignee"), self.assignee)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.hint)
        column.addWidget(self.buttons)
        self.setMinimumWidth(520)
        ctx.bus.changed.connect(self._on_bus_changed)
        self._read()

    def _read(self) -> None:
        task_id = self.task_id
        self._work.read(lambda uow, actor: load(uow, actor, task_id), self._on_loaded)

    def _on_loaded(self, form: TaskForm) -> None:
        first = self.form is None
        if self.form is not None:  # read again for the colleagues: the task
            form = dataclasses.replace(form, task=self.form.task)  # stays as opened
        self.form = form
        self._fill_users(form.users, form.task)
        if first:
            self.title.setText(form.task.title)
            self._set_deadline(form.task.deadline)
            self.title.setFocus()
        self._update_buttons()

    def _fill_users(self, users: list[UserView], task: tasks.TaskView) -> None:
        """Active colleagues; the task's own assignee even when no longer active."""
        chosen = self.assignee.currentData() if self.assignee.count() else task.assignee_id
        self.assignee.clear()
        for user in users:
            self.assignee.addItem(user.full_name or user.login, user.id)
        if self.assignee.findData(task.assignee_id) < 0:
            self.assignee.addItem(task.assignee_name, task.assignee_id)
        self.assignee.setCurrentIndex(max(0, self.assignee.findData(chosen)))

    def _set_deadline(self, deadline: dt.datetime | None) -> None:
        zone = self.form.zone if self.form is not None else timezones.machine_zone()
        if deadline is None:
            wall = next_working_morning(dt.datetime.now(), 1)
        else:
            wall = deadline.astimezone(timezones.zone(zone)).replace(tzinfo=None)
        self.when.setDateTime(
            QDateTime(QDate(wall.year, wall.month, wall.day), QTime(wall.hour, wall.minute))
        )
        self.no_deadline.setChecked(deadline is None)

    def deadline(self) -> dt.datetime | None:
        if self.no_deadline.isChecked() or self.form is None:
            return None
        chosen = self.when.dateTime()
        d, t = chosen.date(), chosen.time()
        wall = dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
        return timezones.wall_to_utc(wall, self.form.zone)

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.form is not None and bool(self.title.text().strip()))

    def save(self) -> None:
        form = self.form
        if form is None or not self.title.text().strip():
            return
        try:
            deadline = self.deadline()
        except UserError as exc:  # a wall time the zone skips
            self.hint.show_error(error_text.message(exc))
            return
        title, assignee = self.title.text(), self.assignee.currentData()
        no_deadline, version = deadline is None, form.task.row_version
        self.save_button.setEnabled(False)
        self._work.run(
            lambda db, actor: interactions.edit_task(
                db,
                actor,
                form.task.id,
                title=title,
                deadline=deadline,
                no_deadline=no_deadline,
                assignee_id=assignee,
                expected_version=version,
            ),
            self._on_saved,
            self._on_failed,
        )

    def _on_saved(self, view: tasks.TaskView) -> None:
        self.saved.emit(view)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        if isinstance(exc, EditConflict) and self.form is not None:
            self.conflict_dialog = ConflictDialog(exc, self, self._shown)
            self.conflict_dialog.ask(self._on_conflict_dialog_accepted)
        elif isinstance(exc, UserError):
            self.hint.show_error(error_text.message(exc))
        else:
            self._ctx.report_error(exc)

    def _shown(self, field: str, value: str | None) -> str:
        if field == "deadline" and value:
            return formatting.date_time(dt.datetime.fromisoformat(value))
        return value or ""

    def _on_conflict_dialog_accepted(self) -> None:
        """The chosen values go into the form, saved against the version
        saved meanwhile."""
        dialog, form = self.conflict_dialog, self.form
        assert dialog is not None
        assert form is not None
        for field, value in dialog.choices().items():
            if field == "title":
                self.title.setText(value or "")
            elif field == "deadline":
                self._set_deadline(dt.datetime.fromisoformat(value) if value else None)
            elif field == "assignee":
                self.assignee.setCurrentIndex(max(0, self.assignee.findText(value or "")))
        task = dataclasses.replace(form.task, row_version=dialog.conflict.current_version)
        self.form = dataclasses.replace(form, task=task)
        self.save()

    def _on_bus_changed(self, changes: Changes) -> None:
        """A colleague added, renamed or deactivated: the list follows."""
        if changes.touches("user") and self.form is not None:
            self._read()
