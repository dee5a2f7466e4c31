"""The chain with its real dates for a chosen client: what applying the
saved scenario now would plan (working days, the client's zone)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QLocale, QTime
from PySide6.QtWidgets import QComboBox, QLabel, QListWidget, QVBoxLayout, QWidget

from services.core.errors import UserError
from services.core.views import ClientView, DealRow
from services.scenarios import use_cases as scenario_cases
from services.scenarios.runs import PlannedStep
from ui.context import UiContext
from ui.dialogs.party_search import PartySearch
from ui.settings.form_parts import muted
from ui.shell import error_text
from ui.widgets import labels, timefmt
from ui.widgets.work import Work


def step_line(step: PlannedStep, locale: QLocale | None = None) -> str:
    """ "2. Call — Mon, 14 Dec 2026 10:00 (Almaty)" in the interface's language
    (the zone by its city, as the card and the agenda name it: "(Алматы)")."""
    locale = locale or QLocale()
    when = step.local
    date = locale.toString(QDate(when.year, when.month, when.day), "ddd, d MMM yyyy")
    time = locale.toString(QTime(when.hour, when.minute), "HH:mm")
    what = labels.type_label(step.type)
    # a subject with variables reads as code before it is filled in
    subject = f" «{step.subject}»" if step.subject and "{" not in step.subject else ""
    return f"{step.position}. {what}{subject} — {date} {time} ({timefmt.zone_city(step.tz)})"


class ChainPreview(QWidget):
    """A client picker and the dates of the scenario's steps for that client."""

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._work = Work(ctx, self)
        self.scenario_id: int | None = None
        self.client_id: int | None = None
        self.unsaved = False
        self.client = QComboBox()
        self.client.setMinimumContentsLength(24)
        self.client.setPlaceholderText(self.tr("Type a client's name"))
        self.search = PartySearch(self.client, self._work, self._on_client_chosen, self)
        self.dates = QListWidget()
        self.dates.setWordWrap(True)
        self.note = muted(self.tr("Choose a client to see the dates of every step."))
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(self.tr("Dates for")))
        column.addWidget(self.client)
        column.addWidget(self.note)
        column.addWidget(self.dates, 1)

    def set_scenario(self, scenario_id: int | None) -> None:
        self.scenario_id = scenario_id
        self.unsaved = False
        self.dates.clear()
        self._say()
        self.refresh()

    def mark_unsaved(self, unsaved: bool) -> None:
        """The editor holds changes the dates do not show yet."""
        if unsaved != self.unsaved:
            self.unsaved = unsaved
            self._say()

    def _say(self) -> None:
        if self.scenario_id is None:
            text = self.tr("Save the scenario to see its dates for a client.")
        elif self.client_id is None:
            text = self.tr("Choose a client to see the dates of every step.")
        elif self.unsaved:
            text = self.tr("The dates are those of the saved chain: save to see yours.")
        elif self.dates.count():
            text = self.tr("If applied now:")
        else:
            text = self.tr("The scenario has no steps yet.")
        self.note.setText(text)

    def show_for(self, client_id: int, name: str = "") -> None:
        self.client_id = client_id
        if name:
            self.client.setEditText(name)
        self.refresh()

    def _on_client_chosen(self, client: ClientView, _deals: list[DealRow]) -> None:
        self.show_for(client.id)

    def refresh(self) -> None:
        scenario_id, client_id = self.scenario_id, self.client_id
        if scenario_id is None or client_id is None:
            return
        self._work.submit(
            self._work.ctx.reads,
            lambda: scenario_cases.preview(
                self._work.ctx.db, self._work.ctx.actor, scenario_id, client_id
            ),
            self._on_planned,
            self._on_failed,
        )

    def _on_planned(self, planned: list[PlannedStep]) -> None:
        self.dates.clear()
        for step in planned:
            self.dates.addItem(step_line(step))
        self._say()

    def _on_failed(self, exc: BaseException) -> None:
        self.dates.clear()
        if isinstance(exc, UserError):  # a client no longer visible, say
            self.note.setText(error_text.message(exc))
        else:
            self._work.ctx.report_error(exc)
