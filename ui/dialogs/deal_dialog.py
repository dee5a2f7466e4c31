"""New deal on a client or lead, or edit a deal's title, owner and amount.

A pipeline that requires a planned interaction gets its first call planned
in the same save (the dialog shows the field only for such a pipeline), so
the rule never refuses a deal the user could not complete here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
)

from services.core import users
from services.core.errors import EditConflict, UserError
from services.core.views import DealView, PipelineRef
from services.interactions import actions as ix
from services.parties import board, edit_cases
from services.parties import records as parties
from services.parties import use_cases as creating
from ui.context import UiContext
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.shell import error_text
from ui.widgets import stage_names
from ui.widgets.plain import plain_label
from ui.widgets.work import Work

CURRENCIES = ("RUB", "USD", "EUR", "KZT", "CNY")


class DealDialog(QDialog):
    saved = Signal(object)  # DealView

    def __init__(
        self,
        ctx: UiContext,
        *,
        existing: DealView | None = None,
        parent_card: tuple[str, int] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.existing = existing
        self.parent_card = parent_card
        self._pipelines: tuple[PipelineRef, ...] = ()
        self.conflict_dialog: ConflictDialog | None = None
        self.setWindowTitle(self.tr("New deal") if existing is None else self.tr("Edit deal"))
        self.setMinimumWidth(440)
        self.title = QLineEdit()
        self.title.setMaxLength(parties.MAX_NAME)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("150 000")
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.addItems(list(CURRENCIES))
        self.owner = QComboBox()
        self.pipeline = QComboBox()
        self.pipeline.currentIndexChanged.connect(self._on_pipeline_changed)
        self.next_call = QDateTimeEdit()
        self.next_call.setCalendarPopup(True)
        tomorrow = QDateTime.currentDateTime().addDays(1)
        tomorrow.setTime(QTime(10, 0))
        self.next_call.setDateTime(tomorrow)
        self.next_call.setDisplayFormat("dd.MM.yyyy HH:mm")
        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Amount"), self.amount)
        form.addRow(self.tr("Currency"), self.currency)
        form.addRow(self.tr("Owner"), self.owner)
        if existing is None:
            form.addRow(self.tr("Pipeline"), self.pipeline)
            form.addRow(self.tr("Next call"), self.next_call)
        self._form = form
        self.error = plain_label()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if existing is not None:
            self.title.setText(existing.title)
            self.amount.setText("" if existing.amount is None else f"{existing.amount:f}")
            self.currency.setCurrentText(existing.currency)
        self._work.read(
            lambda uow, actor: (users.users(uow, actor), board.pipeline_refs(uow)),
            self._on_loaded,
        )

    def _on_loaded(self, loaded: tuple[list[Any], tuple[PipelineRef, ...]]) -> None:
        people, self._pipelines = loaded
        for person in people:
            self.owner.addItem(person.full_name, person.id)
        wanted = self.existing.owner_id if self.existing is not None else self._ctx.actor.id
        self.owner.setCurrentIndex(max(0, self.owner.findData(wanted)))
        for pipe in self._pipelines:
            self.pipeline.addItem(stage_names.shown(pipe.name), pipe.id)
        self._on_pipeline_changed(self.pipeline.currentIndex())

    def needs_next_step(self) -> bool:
        chosen = self.pipeline.currentData()
        return any(p.id == chosen and p.requires_planned for p in self._pipelines)

    def _on_pipeline_changed(self, _index: int) -> None:
        if self.existing is None:  # an edit has no pipeline or next call rows
            self._form.setRowVisible(self.next_call, self.needs_next_step())

    def save(self) -> None:
        self.error.hide()
        title = self.title.text()
        amount = self.amount.text()
        currency = self.currency.currentText()
        owner = self.owner.currentData()
        existing = self.existing
        use_case: Any
        if existing is not None:
            ident = existing.id
            # Saved against the version shown: a colleague's save meanwhile is
            # refused with both values (conflict_dialog), never overwritten.
            version = existing.row_version or None

            def use_case(db: Any, actor: Any) -> Any:
                return edit_cases.edit_deal(
                    db,
                    actor,
                    ident,
                    title=title,
                    owner=owner,
                    amount=amount,
                    currency=currency,
                    expected_version=version,
                )
        else:
            kind, party_id = self.parent_card or ("client", 0)
            spec = creating.NewDeal(
                title=title,
                client_id=party_id if kind == "client" else None,
                lead_id=party_id if kind == "lead" else None,
                pipeline=self.pipeline.currentData(),
                owner_id=owner,
                amount=amount or None,
                currency=currency,
            )
            step = None
            if self.needs_next_step():
                start = self.next_call.dateTime().toPython()
                assert isinstance(start, dt.datetime)
                step = ix.NewInteraction(type="call", planned=True, start=start, owner_id=owner)

            def use_case(db: Any, actor: Any) -> Any:
                return creating.add_deal(db, actor, spec, step)

        self.buttons.setEnabled(False)
        self._work.run(use_case, self._on_saved, self._on_failed)

    def _on_saved(self, view: DealView) -> None:
        self.saved.emit(view)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, EditConflict) and self.existing is not None:
            self.conflict_dialog = ConflictDialog(exc, self).ask(self._on_conflict_dialog_accepted)
            return
        if isinstance(exc, UserError):
            self.error.setText(error_text.message(exc))
            self.error.show()
        else:
            self._ctx.report_error(exc)

    def _on_conflict_dialog_accepted(self) -> None:
        """The chosen values go into the form and are saved against the
        version saved meanwhile."""
        dialog = self.conflict_dialog
        assert dialog is not None
        assert self.existing is not None
        for field, value in dialog.choices().items():
            if field == "title":
                self.title.setText(value or "")
            elif field == "amount":
                self.amount.setText(value or "")
            elif field == "currency":
                self.currency.setCurrentText(value or "")
            elif field == "owner":
                self.owner.setCurrentIndex(max(0, self.owner.findText(value or "")))
        self.existing = dataclasses.replace(
            self.existing, row_version=dialog.conflict.current_version
        )
        self.save()
