"""Shown when a phone number was clicked but nothing on this computer opens
tel: links: say so (the click used to do nothing at all) and offer to set
the softphone command right here, then place the call with it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from services.core import settings
from ui.context import UiContext
from ui.shell import error_text
from ui.widgets.hints import FieldHint
from ui.widgets.work import Work


class SoftphoneDialog(QDialog):
    saved = Signal(str)  # the command, once stored

    def __init__(self, ctx: UiContext, number: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.setWindowTitle(self.tr("Call %1").replace("%1", number))
        self.message = QLabel(
            self.tr(
                "No program on this computer opens phone links. Enter the command "
                "of your softphone to call from Touchpoint, or dial %1 by hand."
            ).replace("%1", number)
        )
        self.message.setWordWrap(True)
        self.command = QLineEdit()
        self.command.setPlaceholderText(self.tr("for example: linphone-cli -c 'call {number}'"))
        self.hint = FieldHint()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(
            self.tr("Save and call"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.command)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def _on_save_button_clicked(self) -> None:
        command = self.command.text().strip()
        if not command:
            self.hint.show_error(self.tr("Enter the command, with {number} where the number goes"))
            return

        def store(uow: Any, _actor: Any) -> str:
            settings.put(uow, "softphone_command", command)
            return command

        self.save_button.setEnabled(False)
        self._work.write(store, self._on_saved, self._on_failed)

    def _on_saved(self, command: str) -> None:
        self.saved.emit(command)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.hint.show_error(error_text.message(exc))
