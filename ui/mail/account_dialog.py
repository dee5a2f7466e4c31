"""Add a mailbox: IMAP for import, SMTP for sending; the password goes to
the OS keyring (``services.mail.accounts.add``), never to the database."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import UserError
from services.mail import accounts
from services.mail import use_cases as mail_cases
from ui.context import UiContext
from ui.shell import error_text
from ui.widgets.plain import plain_label
from ui.widgets.work import Work


class _Server(QGroupBox):
    """Host, port and security of one server (IMAP or SMTP)."""

    def __init__(self, title: str, kind: str, default_security: str) -> None:
        super().__init__(title)
        self.kind = kind
        self.host = QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.security = QComboBox()
        self.security.addItem(self.tr("SSL/TLS"), "tls")
        self.security.addItem(self.tr("STARTTLS"), "starttls")
        self.security.setCurrentIndex(self.security.findData(default_security))
        self.security.currentIndexChanged.connect(self._on_security_changed)
        self._on_security_changed()
        row = QHBoxLayout()
        row.addWidget(self.host, 1)
        row.addWidget(QLabel(self.tr("Port")))
        row.addWidget(self.port)
        form = QFormLayout(self)
        form.addRow(self.tr("Server"), row)
        form.addRow(self.tr("Security"), self.security)

    def allow_plain(self, allowed: bool) -> None:
        index = self.security.findData("plain")
        if allowed and index < 0:
            self.security.addItem(self.tr("None — password readable on the network"), "plain")
        elif not allowed and index >= 0:
            if self.security.currentIndex() == index:
                self.security.setCurrentIndex(0)
            self.security.removeItem(index)

    def _on_security_changed(self) -> None:
        security = self.security.currentData()
        if security:
            self.port.setValue(accounts.DEFAULT_PORTS[(self.kind, security)])


class AccountDialog(QDialog):
    added = Signal(object)  # AccountView

    def __init__(self, ctx: UiContext, sync_minutes: int = 5, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.setWindowTitle(self.tr("Add mail account"))
        self.email = QLineEdit()
        self.email.setPlaceholderText("name@company.com")
        self.email.editingFinished.connect(self._on_email_editing_finished)
        self.display_name = QLineEdit()
        self.user = QLineEdit()
        self.user.setPlaceholderText(self.tr("the email address"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sync_minutes = QSpinBox()
        self.sync_minutes.setRange(1, 1440)
        self.sync_minutes.setValue(sync_minutes)
        self.sync_minutes.setSuffix(self.tr(" min"))
        self.imap = _Server(self.tr("Incoming mail (IMAP)"), "imap", "tls")
        self.smtp = _Server(self.tr("Outgoing mail (SMTP)"), "smtp", "starttls")
        self.plaintext = QCheckBox(self.tr("Allow servers without encryption (not recommended)"))
        self.plaintext.setToolTip(
            self.tr(
                "Without TLS the password and every letter cross the network readable "
                "by anyone on the way. Use only inside a trusted network."
            )
        )
        self.plaintext.toggled.connect(self._on_plaintext_toggled)
        # a company that signs its servers' certificates with its own CA
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText(self.tr("none: the system's trusted certificates"))
        self.ca_button = QPushButton(self.tr("Choose…"))
        self.ca_button.clicked.connect(self._on_ca_button_clicked)
        ca_row = QHBoxLayout()
        ca_row.setContentsMargins(0, 0, 0, 0)
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.ca_button)
        form = QFormLayout()
        form.addRow(self.tr("Email address"), self.email)
        form.addRow(self.tr("Your name"), self.display_name)
        form.addRow(self.tr("Login"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Check for mail every"), self.sync_minutes)
        form.addRow(self.tr("Company CA file"), ca_row)
        note = QLabel(self.tr("The password is kept in the system keyring, never in the database."))
        note.setProperty("role", "muted")
        note.setWordWrap(True)
        self.error_icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.error_icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        self.error = plain_label()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_row = QWidget()
        error_layout = QHBoxLayout(self.error_row)
        error_layout.setContentsMargins(0, 0, 0, 0)
        error_layout.addWidget(self.error_icon, 0, Qt.AlignmentFlag.AlignTop)
        error_layout.addWidget(self.error, 1)
        self.error_row.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add account"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.imap)
        layout.addWidget(self.smtp)
        layout.addWidget(self.plaintext)
        layout.addWidget(note)
        layout.addWidget(self.error_row)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def _on_email_editing_finished(self) -> None:
        domain = self.email.text().strip().rpartition("@")[2]
        if domain:
            if not self.imap.host.text():
                self.imap.host.setText(f"imap.{domain}")
            if not self.smtp.host.text():
                self.smtp.host.setText(f"smtp.{domain}")

    def _on_plaintext_toggled(self, allowed: bool) -> None:
        self.imap.allow_plain(allowed)
        self.smtp.allow_plain(allowed)

    def spec(self) -> accounts.AccountSpec:
        return accounts.AccountSpec(
            email=self.email.text().strip(),
            imap_host=self.imap.host.text().strip(),
            imap_port=self.imap.port.value(),
            imap_security=self.imap.security.currentData(),
            imap_user=self.user.text().strip() or None,
            smtp_host=self.smtp.host.text().strip(),
            smtp_port=self.smtp.port.value(),
            smtp_security=self.smtp.security.currentData(),
            smtp_user=self.user.text().strip() or None,
            display_name=self.display_name.text().strip() or None,
            sync_minutes=self.sync_minutes.value(),
            allow_plaintext=self.plaintext.isChecked(),
            ca_file=self.ca_file.text().strip() or None,
        )

    def _on_ca_button_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Company CA file"),
            "",
            self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"),
        )
        if path:
            self.ca_file.setText(path)

    def submit(self) -> None:
        if not self.password.text():
            self.show_error(self.tr("Enter the password of the mailbox."))
            return
        spec, password = self.spec(), self.password.text()
        self.buttons.setEnabled(False)
        self._work.run(
            # The servers must accept the login first (off the GUI thread, on
            # the runner's lane), so a certificate or password they will refuse
            # is said here, with nothing saved.
            lambda db, actor: mail_cases.add_account(db, actor, spec, password),
            self._on_added,
            self._on_failed,
        )

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error_row.setVisible(True)

    def _on_added(self, view: accounts.AccountView) -> None:
        self.buttons.setEnabled(True)
        self.added.emit(view)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, UserError):
            self.show_error(error_text.message(exc))
        else:
            self._ctx.report_error(exc)
