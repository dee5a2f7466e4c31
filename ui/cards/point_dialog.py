"""Add an email address or a phone number to a card. Once it is saved the
card asks the linking job to run, so earlier letters and calls with it come
into the feed (SPEC D1)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from services.core.errors import UserError
from services.parties import use_cases as parties
from ui.context import UiContext
from ui.shell import error_text
from ui.widgets.plain import plain_label
from ui.widgets.work import Work


class PointDialog(QDialog):
    saved = Signal(object)  # ContactPointView

    def __init__(self, ctx: UiContext, kind: str, object_id: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.card = (kind, object_id)
        self.setWindowTitle(self.tr("Add phone or email"))
        self.setMinimumWidth(400)
        self.point_kind = QComboBox()
        self.point_kind.addItem(self.tr("Email"), "email")
        self.point_kind.addItem(self.tr("Phone"), "phone")
        self.point_kind.currentIndexChanged.connect(self._on_point_kind_changed)
        self.value = QLineEdit()
        self.value.textChanged.connect(self._on_value_text_changed)
        self.label = QLineEdit()
        self.label.setPlaceholderText(self.tr("work, mobile… (optional)"))
        self.error = plain_label()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        hint = QLabel(
            self.tr("Earlier letters and calls with it are linked to this card right after saving.")
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.point_kind)
        form.addRow(self.tr("Value"), self.value)
        form.addRow(self.tr("Label"), self.label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._on_point_kind_changed(0)

    def set_point(self, point_kind: str, value: str) -> None:
        index = self.point_kind.findData(point_kind)
        if index >= 0:
            self.point_kind.setCurrentIndex(index)
        self.value.setText(value)

    def save(self) -> None:
        raw = self.value.text().strip()
        if not raw:
            self._show_error(self.tr("Type an address or a number"))
            return
        point_kind = str(self.point_kind.currentData())
        label = self.label.text().strip() or None
        kind, object_id = self.card
        self.buttons.setEnabled(False)
        self._work.run(
            lambda db, actor: parties.add_point(
                db, actor, point_kind, raw, kind, object_id, label=label
            ),
            self._on_saved,
            self._on_failed,
        )

    def _on_saved(self, added: parties.AddedPoint) -> None:
        self.saved.emit(added.point)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, UserError):
            self._show_error(error_text.message(exc))
        else:
            self._ctx.report_error(exc)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _on_value_text_changed(self, _text: str) -> None:
        self.error.hide()

    def _on_point_kind_changed(self, _index: int) -> None:
        self.value.setPlaceholderText(
            self.tr("name@example.com")
            if self.point_kind.currentData() == "email"
            else self.tr("+7 495 123-45-67")
        )
