"""The place to enter a mailbox's password again ("enter the password
again": the server refused it, or this computer's keyring has none). It
goes to the keyring, never to the database; then the mailbox syncs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout

from services.mail import use_cases as mail_cases
from ui.context import UiContext
from ui.shell import error_text
from ui.widgets.hints import FieldHint
from ui.widgets.work import Work


class PasswordDialog(QDialog):
    saved = Signal(int)  # the account id

    def __init__(self, ctx: UiContext, account_id: int, email: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._work = Work(ctx, self)
        self.account_id = account_id
        self.setWindowTitle(self.tr("Password of %1").replace("%1", email))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = FieldHint()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_accepted)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def _on_accepted(self) -> None:
        password = self.password.text()
        if not password:
            self.hint.show_error(self.tr("Enter the password of the mailbox."))
            return
        account_id = self.account_id
        self.buttons.setEnabled(False)
        self._work.run(
            lambda db, actor: mail_cases.set_password(db, actor, account_id, password),
            self._on_saved,
            self._on_failed,
        )

    def _on_saved(self, _view: Any) -> None:
        self.saved.emit(self.account_id)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.hint.show_error(error_text.message(exc))
