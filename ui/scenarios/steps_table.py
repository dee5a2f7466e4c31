"""The steps of a scenario as the editor lists them: one row per step (its
type, when it comes, the subject, what fills it, and how it goes: AI, sent
by itself), and the step keys (Insert, Ctrl+D, Alt+Up/Down, Delete) acting
on the table. The editor (``scenario_editor.py``) owns the steps and what
the keys do; this only shows them. Its words keep the editor's translation
context ("ScenarioEditor"), where they were first written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from services.scenarios.store import StepSpec
from services.templates.store import TemplateView
from ui.widgets import labels


def content(step: StepSpec, templates: dict[int, TemplateView]) -> str:
    if step.template_id is not None and step.template_id in templates:
        return QCoreApplication.translate("ScenarioEditor", "Template «%1»").replace(
            "%1", templates[step.template_id].name
        )
    if step.prompt.strip():
        return (
            QCoreApplication.translate("ScenarioEditor", "AI prompt")
            if step.ai
            else QCoreApplication.translate("ScenarioEditor", "Text")
        )
    return "—"


def mode(step: StepSpec) -> str:
    flags = []
    if step.ai:
        flags.append(QCoreApplication.translate("ScenarioEditor", "AI"))
    if step.auto_send:
        flags.append(QCoreApplication.translate("ScenarioEditor", "sends by itself"))
    return ", ".join(flags)


def wait(step: StepSpec, first: bool) -> str:
    at = f"{step.time_minutes // 60:02d}:{step.time_minutes % 60:02d}"
    if step.delay_days == 0:
        when = (
            QCoreApplication.translate("ScenarioEditor", "at once")
            if first
            else QCoreApplication.translate("ScenarioEditor", "same day")
        )
    else:
        when = QCoreApplication.translate("ScenarioEditor", "+%1 wd").replace(
            "%1", str(step.delay_days)
        )
    return f"{when}, {at}"


class StepsTable(QTableWidget):
    COLUMNS = 5

    def __init__(self, parent: Any = None) -> None:
        super().__init__(0, self.COLUMNS, parent)
        self.templates: dict[int, TemplateView] = {}
        self._keys: dict[QKeySequence, Callable[[], None]] = {}
        self.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("ScenarioEditor", "Step"),
                QCoreApplication.translate("ScenarioEditor", "Wait"),
                QCoreApplication.translate("ScenarioEditor", "Subject"),
                QCoreApplication.translate("ScenarioEditor", "Content"),
                QCoreApplication.translate("ScenarioEditor", "Mode"),
            ]
        )
        why = QCoreApplication.translate(
            "ScenarioEditor", "Whether the AI writes the step, and whether it sends by itself"
        )
        mode_header = self.horizontalHeaderItem(4)
        if mode_header is not None:  # set just above
            mode_header.setToolTip(why)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.setMinimumHeight(120)
        header = self.horizontalHeader()
        for section in (0, 1, 3, 4):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def bind_keys(self, keys: dict[QKeySequence, Callable[[], None]]) -> None:
        self._keys = keys

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """The step keys act on the steps (the table's own arrows move the
        selection; with Alt they move the step)."""
        action = self._keys.get(QKeySequence(event.keyCombination()))
        if action is None:
            super().keyPressEvent(event)
            return
        action()
        event.accept()

    def cells(self, step: StepSpec, row: int) -> tuple[str, ...]:
        return (
            f"{row + 1}. {labels.type_label(step.type)}",
            wait(step, row == 0),
            step.subject,
            content(step, self.templates),
            mode(step),
        )

    def show_steps(self, steps: Sequence[StepSpec], select: int) -> int:
        """Every step in a row; the row ``select`` (or the last) chosen;
        returns the chosen row, -1 when there are no steps."""
        self.blockSignals(True)
        self.setRowCount(len(steps))
        for row, step in enumerate(steps):
            for column, text in enumerate(self.cells(step, row)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.setItem(row, column, item)
        self.blockSignals(False)
        row = min(select, len(steps) - 1)
        if row >= 0:
            self.selectRow(row)
            self.setCurrentCell(row, 0)
        return row

    def show_step(self, row: int, step: StepSpec) -> None:
        """One row again, after its step was edited in the form."""
        for column, text in enumerate(self.cells(step, row)):
            item = self.item(row, column)
            if item is not None:
                item.setText(text)
                item.setToolTip(text)
