"""A card's scenarios: the runs still going for its client (or its contact
person), each with its next step and "Cancel run", and "Apply a scenario…"."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QDate, QLocale, QTime, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.core.changes import Changes
from services.scenarios import use_cases as scenario_cases
from services.scenarios.runs import RunView
from ui.context import UiContext
from ui.scenarios.apply_dialog import ApplyScenarioDialog
from ui.settings.form_parts import muted
from ui.widgets import labels
from ui.widgets.plain import plain_label, tooltip
from ui.widgets.questions import ask_destructive
from ui.widgets.work import Work

LIVE = ("active", "paused")


@dataclasses.dataclass(frozen=True)
class Target:
    client_id: int
    contact_id: int | None  # a contact person's card shows only their runs


class RunsSection(QWidget):
    changed = Signal()

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.target: Target | None = None
        self.runs: list[RunView] = []
        self.loaded = False
        self.dialog: ApplyScenarioDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.rows = QVBoxLayout()
        self.rows.setSpacing(4)
        self.empty = muted(self.tr("No scenario running."))
        self.apply_button = QPushButton(self.tr("Apply a scenario…"))
        self.apply_button.clicked.connect(self.open_apply)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.rows)
        column.addWidget(self.empty)
        row = QHBoxLayout()
        row.addWidget(self.apply_button)
        row.addStretch(1)
        column.addLayout(row)
        self.setEnabled(False)
        ctx.bus.changed.connect(self._on_bus_changed)

    def set_target(self, client_id: int | None, contact_id: int | None = None) -> None:
        """The card's client (None: a lead's card, where scenarios do not apply).
        The card calls this on every reload; the runs are read again only for
        another target or when the bus says they changed."""
        target = Target(client_id, contact_id) if client_id is not None else None
        if target == self.target and self.loaded:
            return
        self.target = target
        self.setEnabled(self.target is not None)
        self.apply_button.setToolTip(
            "" if self.target else self.tr("A scenario is applied to a client's contact person.")
        )
        self.refresh()

    def refresh(self) -> None:
        target = self.target
        if target is None:
            self._show([])
            return
        ctx = self._ctx
        self._work.submit(
            ctx.reads,
            lambda: scenario_cases.list_runs(
                ctx.db, ctx.actor, client_id=target.client_id, states=LIVE
            ),
            self._on_loaded,
            None,
        )

    def _on_loaded(self, runs: list[RunView]) -> None:
        self.loaded = True
        target = self.target
        if target is not None and target.contact_id is not None:
            runs = [r for r in runs if r.contact_id == target.contact_id]
        self._show(runs)

    def _show(self, runs: list[RunView]) -> None:
        self.runs = runs
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)  # gone from the section now, deleted later
                widget.deleteLater()
        for run in runs:
            self.rows.addWidget(self._row(run))
        self.empty.setVisible(not runs)

    def next_step_text(self, run: RunView) -> str:
        waiting = [s for s in run.steps if s.state in ("pending", "running", "failed")]
        if run.state == "paused":  # the service's reason (who wrote) is the tooltip
            return self.tr("paused: the contact replied")
        if not waiting:
            return self.tr("all steps done")
        step = waiting[0]
        if step.state == "failed" or step.last_error:
            return (
                self.tr("step %1 failed, will be tried again: %2")
                .replace("%1", str(step.position))
                .replace("%2", step.last_error)
            )
        when = step.due_local
        locale = QLocale()
        date = locale.toString(QDate(when.year, when.month, when.day), "d MMM")
        time = locale.toString(QTime(when.hour, when.minute), "HH:mm")
        return (
            self.tr("next: %1, %2 %3")
            .replace("%1", labels.type_label(step.type))
            .replace("%2", date)
            .replace("%3", time)
        )

    def _row(self, run: RunView) -> QWidget:
        row = QWidget()
        column = QVBoxLayout(row)
        column.setContentsMargins(0, 0, 0, 4)
        column.setSpacing(2)
        text = plain_label(f"{run.scenario_name} · {run.contact_name}")
        text.setWordWrap(True)
        font = text.font()
        font.setWeight(font.Weight.DemiBold)
        text.setFont(font)
        state = plain_label(self.next_step_text(run))
        state.setProperty("role", "muted")
        state.setWordWrap(True)
        state.setToolTip(tooltip(run.stop_reason) if run.stop_reason else "")
        cancel = QPushButton(self.tr("Cancel run"))
        cancel.setObjectName(f"cancelRun{run.id}")
        cancel.clicked.connect(lambda: self.ask_cancel(run))
        line = QHBoxLayout()
        if run.state == "paused":
            resume = QPushButton(self.tr("Resume"))
            resume.setObjectName(f"resumeRun{run.id}")
            resume.setToolTip(self.tr("Let the letters still to go be sent"))
            resume.clicked.connect(lambda: self.resume_run(run.id))
            line.addWidget(resume)
        line.addWidget(cancel)
        line.addStretch(1)
        column.addWidget(text)
        column.addWidget(state)
        column.addLayout(line)
        return row

    def ask_cancel(self, run: RunView) -> None:
        self.confirm_box = ask_destructive(
            self,
            self.tr("Cancel run"),
            self.tr(
                "Cancel «%1» for %2? The steps not done yet are cancelled; "
                "they stay in the feed, struck through."
            )
            .replace("%1", run.scenario_name)
            .replace("%2", run.contact_name),
            self.tr("Cancel run"),
            lambda: self.cancel_run(run.id),
            keep=self.tr("Keep it"),
        )

    def cancel_run(self, run_id: int) -> None:
        self._work.run(
            lambda db, actor: scenario_cases.cancel_run(db, actor, run_id), self._after_change
        )

    def resume_run(self, run_id: int) -> None:
        self._work.run(
            lambda db, actor: scenario_cases.resume_run(db, actor, run_id), self._after_change
        )

    def _after_change(self, _run: RunView) -> None:
        self.refresh()
        self.changed.emit()

    def open_apply(self) -> ApplyScenarioDialog | None:
        if self.target is None:
            return None
        self.dialog = ApplyScenarioDialog(
            self._ctx, self.target.client_id, self.target.contact_id, self.window()
        )
        self.dialog.applied.connect(self._after_change)
        self.dialog.finished.connect(self.dialog.deleteLater)
        self.dialog.open()
        return self.dialog

    def _on_bus_changed(self, changes: Changes) -> None:
        """A run started, moved, cancelled or paused, the calendar, or one of
        the runs' planned interactions done or moved."""
        if self.target is None:
            return
        steps = [s.interaction_id for run in self.runs for s in run.steps]
        if (
            changes.touches("scenario_run")
            or changes.touches("calendar")
            or (steps and changes.touches("interaction", steps))
        ):
            self.refresh()
