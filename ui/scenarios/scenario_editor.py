"""Editing one scenario: its name, active flag, description and reply rule,
and its ordered steps (add, duplicate, move with buttons or Alt+Up/Down,
remove with an undo), saved together by the ``edit_scenario`` use case.

The steps are edited as a list of ``StepSpec`` values here and replace the
saved chain on Save, so a half-done reordering never reaches the database;
runs already started keep the steps they were planned with. The steps'
table and its keys: ``steps_table.py``; the chosen step's form:
``step_form.py``.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import UserError
from services.interactions.types import TypeView
from services.scenarios import use_cases as scenario_cases
from services.scenarios.store import ScenarioView, StepSpec
from services.templates.store import TemplateView
from ui.context import UiContext
from ui.scenarios.chain_preview import ChainPreview
from ui.scenarios.step_form import StepForm
from ui.scenarios.steps_table import StepsTable
from ui.settings.form_parts import muted
from ui.shell import error_text
from ui.widgets.hints import FieldHint
from ui.widgets.undo_bar import UndoBar
from ui.widgets.work import Work

MAX_STEPS = 50
_STEP_ERROR = re.compile(r"^Step (\d+):")


def _spec(step: Any) -> StepSpec:
    return StepSpec(
        type=step.type,
        delay_days=step.delay_days,
        time_minutes=step.time_minutes,
        subject=step.subject,
        template_id=step.template_id,
        prompt=step.prompt,
        ai=step.ai,
        auto_send=step.auto_send,
        owner_rule=step.owner_rule,
    )


def offline_note() -> str:
    """The one line a laptop replica shows where scenarios would be edited."""
    return QCoreApplication.translate(
        "ScenarioEditor",
        "Scenarios are edited on the server: on this offline copy they are read-only.",
    )


class ScenarioEditor(QWidget):
    saved = Signal(object)  # the ScenarioView as saved

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.current: ScenarioView | None = None
        self.steps: list[StepSpec] = []
        self._saved_state: tuple[Any, ...] = ()
        self.editable = True
        self.read_only = False  # a laptop replica (set by the page)

        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.name.setPlaceholderText(self.tr("e.g. First meeting"))
        self.active = QCheckBox(self.tr("Active: offered when applying"))
        self.description = QLineEdit()
        self.description.setPlaceholderText(self.tr("What the chain is for"))
        self.on_reply = QComboBox()
        self.on_reply.addItem(self.tr("Stop the letters still to go"), "stop")
        self.on_reply.addItem(self.tr("Pause them until resumed"), "pause")
        self.owner_rule = QComboBox()
        self.owner_rule.addItem(self.tr("Who starts the scenario"), "starter")
        self.owner_rule.addItem(self.tr("The client's owner"), "client_owner")
        self.name_hint = FieldHint()
        head = QFormLayout()
        head.addRow(self.tr("Name"), self.name)
        head.addRow("", self.name_hint)
        head.addRow("", self.active)
        head.addRow(self.tr("Description"), self.description)
        head.addRow(self.tr("When the contact replies"), self.on_reply)
        head.addRow(self.tr("Steps belong to"), self.owner_rule)

        self.table = StepsTable()
        self.table.currentCellChanged.connect(self._on_table_current_cell_changed)
        self.empty_steps = muted(
            self.tr("No steps yet: add the first call, letter or meeting of the chain.")
        )

        self.add_button = QPushButton(self.tr("Add step"))
        self.duplicate_button = QPushButton(self.tr("Duplicate"))
        self.up_button = QPushButton(self.tr("Move up"))
        self.down_button = QPushButton(self.tr("Move down"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.add_button.setToolTip(self.tr("Add a step after the chosen one (Insert)"))
        self.duplicate_button.setToolTip(self.tr("Duplicate the step (Ctrl+D)"))
        self.up_button.setToolTip(self.tr("Move the step up (Alt+Up)"))
        self.down_button.setToolTip(self.tr("Move the step down (Alt+Down)"))
        self.remove_button.setToolTip(self.tr("Remove the step (Delete); it can be undone"))
        self.add_button.clicked.connect(self.add_step)
        self.duplicate_button.clicked.connect(self.duplicate_step)
        self.up_button.clicked.connect(lambda: self.move_step(-1))
        self.down_button.clicked.connect(lambda: self.move_step(1))
        self.remove_button.clicked.connect(self.remove_step)
        self.table.bind_keys(
            {
                QKeySequence("Insert"): self.add_step,
                QKeySequence("Ctrl+D"): self.duplicate_step,
                QKeySequence("Alt+Up"): lambda: self.move_step(-1),
                QKeySequence("Alt+Down"): lambda: self.move_step(1),
                QKeySequence("Delete"): self.remove_step,
            }
        )
        step_buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.duplicate_button,
            self.up_button,
            self.down_button,
            self.remove_button,
        ):
            step_buttons.addWidget(button)
        step_buttons.addStretch(1)
        self.undo_bar = UndoBar(self)

        self.form = StepForm()
        self.form.changed.connect(self._on_form_changed)
        self.preview = ChainPreview(ctx)
        self.save_button = QPushButton(self.tr("Save scenario"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Revert"))
        self.revert_button.clicked.connect(self._on_revert_button_clicked)
        self.read_only_note = muted()
        footer = QHBoxLayout()
        footer.addWidget(self.save_button)
        footer.addWidget(self.revert_button)
        footer.addWidget(self.read_only_note, 1)

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(head)
        column.addWidget(self.table, 1)
        column.addWidget(self.empty_steps)
        column.addLayout(step_buttons)
        column.addWidget(self.undo_bar)
        # the chosen step on the left, the chain's dates for a client beside it
        lower = QHBoxLayout()
        lower.addWidget(self.form, 3)
        lower.addSpacing(12)
        lower.addWidget(self.preview, 2)
        column.addLayout(lower)
        column.addLayout(footer)
        for edit in (self.name, self.description):
            edit.textEdited.connect(self._on_head_changed)
        self.active.toggled.connect(self._on_head_changed)
        self.on_reply.currentIndexChanged.connect(self._on_head_changed)
        self.owner_rule.currentIndexChanged.connect(self._on_head_changed)

    # --- loading --------------------------------------------------------------------

    def set_choices(self, types: list[TypeView], templates: list[TemplateView]) -> None:
        self.table.templates = {t.id: t for t in templates}
        self.form.set_choices(types, templates)

    def load(self, view: ScenarioView | None) -> None:
        """Show a saved scenario, or an empty new one with ``None``."""
        self.current = view
        self.name.setText(view.name if view else "")
        self.active.setChecked(view.active if view else True)
        self.description.setText(view.description if view else "")
        self.on_reply.setCurrentIndex(
            max(0, self.on_reply.findData(view.on_reply if view else "stop"))
        )
        self.owner_rule.setCurrentIndex(
            max(0, self.owner_rule.findData(view.owner_rule if view else "starter"))
        )
        self.steps = [_spec(s) for s in view.steps] if view else []
        self.name_hint.clear_hint()
        self.undo_bar.dismiss()
        self._saved_state = self._state()
        editable = not self.read_only and (
            view is None or view.author_id == self._ctx.actor.id or self._ctx.actor.can_admin()
        )
        for widget in (self.name, self.active, self.description, self.on_reply, self.owner_rule):
            widget.setEnabled(editable)
        self.editable = editable
        self.read_only_note.setText(
            ""
            if editable
            else offline_note()
            if self.read_only
            else self.tr("Someone else's scenario: its author or an administrator may change it.")
        )
        self._show_steps(0 if self.steps else -1)
        self.preview.set_scenario(view.id if view else None)

    def _state(self) -> tuple[Any, ...]:
        return (
            self.name.text(),
            self.active.isChecked(),
            self.description.text(),
            self.on_reply.currentData(),
            self.owner_rule.currentData(),
            tuple(dataclasses.astuple(s) for s in self.steps),
        )

    def dirty(self) -> bool:
        return self._state() != self._saved_state

    # --- the steps table ------------------------------------------------------------

    def _show_steps(self, select: int) -> None:
        row = self.table.show_steps(self.steps, select)
        self.empty_steps.setVisible(not self.steps)
        self._show_form(row)
        self._update_buttons()

    def chosen(self) -> int:
        row = self.table.currentRow()
        return row if 0 <= row < len(self.steps) else -1

    def show_chosen_step(self) -> None:
        """Show the chosen step again (after the type and template lists changed)."""
        self._show_form(self.chosen())

    def _show_form(self, row: int) -> None:
        self.form.set_spec(self.steps[row] if row >= 0 else None, first=row == 0)
        self.form.setEnabled(row >= 0 and self.editable)

    def _update_buttons(self) -> None:
        row, editable = self.chosen(), self.editable
        self.add_button.setEnabled(editable and len(self.steps) < MAX_STEPS)
        self.duplicate_button.setEnabled(editable and row >= 0 and len(self.steps) < MAX_STEPS)
        self.up_button.setEnabled(editable and row > 0)
        self.down_button.setEnabled(editable and 0 <= row < len(self.steps) - 1)
        self.remove_button.setEnabled(editable and row >= 0)
        self.save_button.setEnabled(editable)
        self.revert_button.setEnabled(editable and self.dirty())
        self.preview.mark_unsaved(self.current is not None and self.dirty())

    def _on_table_current_cell_changed(self, row: int, *_args: int) -> None:
        self._show_form(row if row < len(self.steps) else -1)
        self._update_buttons()

    def _on_form_changed(self) -> None:
        row = self.chosen()
        if row < 0:
            return
        self.steps[row] = self.form.spec()
        self.table.show_step(row, self.steps[row])
        self._update_buttons()

    def _on_head_changed(self, *_args: object) -> None:
        self.name_hint.clear_hint()
        self._update_buttons()

    def add_step(self) -> None:
        if not self.editable or len(self.steps) >= MAX_STEPS:
            return
        row = self.chosen()
        base = self.steps[row] if row >= 0 else None
        new = StepSpec(
            type=base.type if base else "call",
            delay_days=2 if self.steps else 0,
            time_minutes=base.time_minutes if base else 600,
        )
        self.steps.insert(row + 1, new)
        self._show_steps(row + 1)
        self.form.type_combo.setFocus()

    def duplicate_step(self) -> None:
        row = self.chosen()
        if not self.editable or row < 0 or len(self.steps) >= MAX_STEPS:
            return
        self.steps.insert(row + 1, self.steps[row])
        self._show_steps(row + 1)

    def move_step(self, by: int) -> None:
        row = self.chosen()
        to = row + by
        if not self.editable or row < 0 or not 0 <= to < len(self.steps):
            return
        self.steps[row], self.steps[to] = self.steps[to], self.steps[row]
        self._show_steps(to)
        self.table.setFocus()

    def remove_step(self) -> None:
        row = self.chosen()
        if not self.editable or row < 0:
            return
        removed = self.steps.pop(row)
        self._show_steps(row)

        def undo() -> None:
            self.steps.insert(row, removed)
            self._show_steps(row)

        self.undo_bar.show_message(self.tr("Step %1 removed.").replace("%1", str(row + 1)), undo)

    # --- saving ---------------------------------------------------------------------

    def save(self) -> None:
        steps, current = list(self.steps), self.current
        values: dict[str, Any] = {
            "name": self.name.text(),
            "description": self.description.text().strip(),
            "active": self.active.isChecked(),
            "on_reply": self.on_reply.currentData(),
            "owner_rule": self.owner_rule.currentData(),
        }
        self.save_button.setEnabled(False)
        if current is None:
            self._work.run(
                lambda db, actor: scenario_cases.add_scenario(db, actor, steps=steps, **values),
                self._on_saved,
                self._on_save_failed,
            )
        else:
            self._work.run(
                lambda db, actor: scenario_cases.edit_scenario(
                    db, actor, current.id, steps=steps, row_version=current.row_version, **values
                ),
                self._on_saved,
                self._on_save_failed,
            )

    def _on_saved(self, view: ScenarioView) -> None:
        row = self.chosen()
        self.load(view)
        if row >= 0:
            self._show_steps(row)
        self.saved.emit(view)

    def _on_save_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        if not isinstance(exc, UserError):
            self._ctx.report_error(exc)
            return
        # The English message names the step; the window says it in its language.
        step = _STEP_ERROR.match(str(exc))
        text = error_text.message(exc)
        if step is not None and 0 < int(step.group(1)) <= len(self.steps):
            self._show_steps(int(step.group(1)) - 1)
            self.form.hint.show_error(text)
        else:  # the name, the reply rule, someone else's newer save
            self.name_hint.show_error(text)

    def _on_revert_button_clicked(self) -> None:
        self.load(self.current)
