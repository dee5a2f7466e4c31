"""Applying a scenario to a client and one of its contact persons (seed 000:
"убедиться, что указаны организация и контакт; выбрать нужный сценарий из
списка активных"). The dates of every step show before anything is saved;
Apply plans them all in one transaction, and the change bus refreshes the
feed and the agenda."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QListWidget,
    QVBoxLayout,
)

from services.core.access import Actor
from services.core.errors import UserError
from services.core.views import ContactView
from services.parties import records as parties
from services.scenarios import store as scenarios
from services.scenarios import use_cases as scenario_cases
from services.scenarios.runs import PlannedStep, RunView
from services.scenarios.store import ScenarioView
from ui.context import UiContext
from ui.scenarios.chain_preview import step_line
from ui.settings.form_parts import muted
from ui.shell import error_text
from ui.widgets.hints import FieldHint
from ui.widgets.work import Uow, Work


@dataclasses.dataclass(frozen=True)
class Choices:
    scenarios: list[ScenarioView]
    client_name: str
    contacts: tuple[ContactView, ...]


def _choices(uow: Uow, actor: Actor, client_id: int) -> Choices:
    client = parties.get_client(uow, actor, client_id)
    return Choices(
        scenarios.list_scenarios(uow, actor),
        client.name,
        tuple(c for c in client.contacts if not c.archived),
    )


class ApplyScenarioDialog(QDialog):
    applied = Signal(object)  # the RunView

    def __init__(
        self, ctx: UiContext, client_id: int, contact_id: int | None = None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.client_id = client_id
        self._wanted_contact = contact_id
        self.choices: Choices | None = None
        self.setWindowTitle(self.tr("Apply a scenario"))
        self.setMinimumWidth(640)
        self.scenario = QComboBox()
        self.scenario.currentIndexChanged.connect(self._on_choice_changed)
        self.description = muted()
        self.contact = QComboBox()
        self.contact.currentIndexChanged.connect(self._on_choice_changed)
        self.dates = QListWidget()
        self.dates.setWordWrap(True)
        self.dates.setMinimumHeight(120)
        self.dates_note = muted(self.tr("Loading…"))
        self.hint = FieldHint()
        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton(
            self.tr("Apply"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Scenario"), self.scenario)
        form.addRow("", self.description)
        form.addRow(self.tr("With"), self.contact)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.dates_note)
        column.addWidget(self.dates, 1)
        column.addWidget(self.hint)
        column.addWidget(self.buttons)
        self._work.read(lambda uow, actor: _choices(uow, actor, client_id), self._on_loaded)

    def _on_loaded(self, choices: Choices) -> None:
        self.choices = choices
        self.setWindowTitle(self.tr("Apply a scenario to %1").replace("%1", choices.client_name))
        self.scenario.blockSignals(True)
        self.contact.blockSignals(True)
        for view in choices.scenarios:
            self.scenario.addItem(view.name, view.id)
        for person in choices.contacts:
            label = (
                f"{person.full_name}, {person.position}" if person.position else person.full_name
            )
            self.contact.addItem(label, person.id)
        if self._wanted_contact is not None:
            self.contact.setCurrentIndex(max(0, self.contact.findData(self._wanted_contact)))
        self.scenario.blockSignals(False)
        self.contact.blockSignals(False)
        self._on_choice_changed()

    def problem(self) -> str:
        """Why Apply is not possible yet ("" when it is)."""
        if self.choices is None:
            return self.tr("Loading…")
        if not self.choices.scenarios:
            return self.tr(
                "No active scenarios: create one in Settings → Scenarios, or make one active."
            )
        if not self.choices.contacts:
            return self.tr(
                "The client has no contact persons: add one first; the steps are with them."
            )
        return ""

    def _on_choice_changed(self, *_args: object) -> None:
        problem = self.problem()
        self.dates.clear()
        self.apply_button.setEnabled(not problem)
        if problem:
            self.hint.show_error(problem)
            self.dates_note.setText("")
            self.description.setText("")
            return
        self.hint.clear_hint()
        assert self.choices is not None
        chosen = self.scenario.currentData()
        view = next(v for v in self.choices.scenarios if v.id == chosen)
        self.description.setText(view.description)
        self.description.setVisible(bool(view.description))
        self.dates_note.setText(self.tr("The steps, with their dates:"))
        client_id, ctx = self.client_id, self._ctx
        self._work.submit(
            ctx.reads,
            lambda: scenario_cases.preview(ctx.db, ctx.actor, chosen, client_id),
            self._on_planned,
            self._on_failed,
        )

    def _on_planned(self, planned: list[PlannedStep]) -> None:
        self.dates.clear()
        for step in planned:
            self.dates.addItem(step_line(step))
        if not planned:
            self.dates_note.setText(self.tr("This scenario has no steps."))
            self.apply_button.setEnabled(False)

    def apply(self) -> None:
        scenario_id, contact_id = self.scenario.currentData(), self.contact.currentData()
        if self.problem() or scenario_id is None or contact_id is None:
            return
        client_id = self.client_id
        self.apply_button.setEnabled(False)
        self._work.run(
            lambda db, actor: scenario_cases.apply_scenario(
                db, actor, scenario_id, client_id, contact_id
            ),
            self._on_applied,
            self._on_failed,
        )

    def _on_applied(self, run: RunView) -> None:
        self.applied.emit(run)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.apply_button.setEnabled(not self.problem())
        if isinstance(exc, UserError):
            self.hint.show_error(error_text.message(exc))
        else:
            self._ctx.report_error(exc)
