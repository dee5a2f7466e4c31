"""Settings → Database: this computer's team server (SPEC H2, #19).

The server, database and the user's own login are kept per computer
(QSettings), the password in the OS keyring; "Test connection" connects
once off the GUI thread and says the server's version, the login it
accepted and whether the line is encrypted. The app uses a saved server
from its next start.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from services.core import server
from services.core.errors import UserError
from services.sync.types import ReplicaStatus
from ui.context import UiContext
from ui.settings.replica_section import ReplicaSection
from ui.settings.replica_words import server_name
from ui.shell import error_text
from ui.shell.preferences import Preferences
from ui.widgets.plain import plain_label, tooltip
from ui.widgets.work import Work


def location(url: str) -> str:
    """Where the data is, as a person reads it: a file's path
    (``/home/anna/…/touchpoint.sqlite3``, not ``sqlite:////home/…``), a
    server's host/database with the login; the URL only in the tooltip."""
    if url.startswith("sqlite") and ":///" in url:
        return url.split(":///", 1)[1] or url
    address = server.address_of(url)
    if address is None:
        return url
    return f"{address.host}/{address.database} ({address.login})"


class DatabasePage(QWidget):
    def __init__(self, ctx: UiContext, prefs: Preferences, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx, self._prefs = ctx, prefs
        self._work = Work(ctx, self)
        self.current = plain_label(self.tr("In use: %1").replace("%1", location(ctx.db.url)))
        self.current.setToolTip(tooltip(ctx.db.url))
        self.host = QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit()
        self.login = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("kept in the system keyring"))
        self.tls = QCheckBox(self.tr("Encrypt (TLS) and verify the server's certificate"))
        self.tls.setChecked(True)
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText(self.tr("the system's certificate authorities"))
        for edit in (self.host, self.database, self.login, self.ca_file):
            edit.setMaxLength(server.MAX_FIELD)
        self.test_button = QPushButton(self.tr("Test connection"))
        self.save_button = QPushButton(self.tr("Use this server"))
        self.local_button = QPushButton(self.tr("Use the database on this computer"))
        self.test_button.clicked.connect(self._on_test_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.local_button.clicked.connect(self._on_local_button_clicked)
        self.status = plain_label("")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Server"), self.host)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Database"), self.database)
        form.addRow(self.tr("Your login"), self.login)
        form.addRow(self.tr("Password"), self.password)
        form.addRow("", self.tls)
        form.addRow(self.tr("CA file"), self.ca_file)
        buttons = QHBoxLayout()
        for button in (self.test_button, self.save_button, self.local_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        # on a replica the server form is hidden: the copy's server is fixed
        # until the laptop stops working offline
        self.server_box = QWidget()
        server_column = QVBoxLayout(self.server_box)
        server_column.setContentsMargins(0, 0, 0, 0)
        server_column.addLayout(form)
        server_column.addLayout(buttons)
        server_column.addWidget(self.status)
        self.replica_note = plain_label("")
        self.replica_note.setWordWrap(True)
        self.replica_note.setVisible(False)
        column = QVBoxLayout(self)
        column.addWidget(self.current)
        column.addWidget(self.replica_note)
        column.addWidget(self.server_box)
        self.replica = ReplicaSection(ctx, prefs, self._url, self.password.text)
        self.replica.status_shown.connect(self._on_replica_status_shown)
        self._on_replica_status_shown(self.replica.status)  # read already (inline lanes)
        column.addWidget(self.replica)
        column.addStretch(1)
        self._fill(prefs.database_url)

    def _on_replica_status_shown(self, status: ReplicaStatus | None) -> None:
        on_copy = status is not None and status.is_replica
        self.server_box.setVisible(not on_copy)
        self.replica_note.setVisible(on_copy)
        if status is None or not on_copy:
            return
        self.current.setText(
            self.tr("This laptop works on its offline copy of %1, as %2.")
            .replace("%1", server_name(status.server_url or ""))
            .replace("%2", status.login or "")
        )
        self.replica_note.setText(
            self.tr(
                "The server and the database on this computer cannot be chosen while "
                "it works offline: the copy syncs with its own server. To work on the "
                "server again, or on a database of this computer, stop working offline "
                "below and restart Touchpoint."
            )
        )

    def _fill(self, url: str) -> None:
        address = server.address_of(url)
        if address is None:
            return
        self.host.setText(address.host)
        self.port.setValue(address.port)
        self.database.setText(address.database)
        self.login.setText(address.login)
        self.tls.setChecked(address.tls)
        self.ca_file.setText(address.ca_file)

    def _url(self) -> str | None:
        try:
            return server.team_url(
                self.host.text(),
                self.port.value(),
                self.database.text(),
                self.login.text(),
                tls=self.tls.isChecked(),
                ca_file=self.ca_file.text(),
            )
        except UserError as exc:
            self.status.setText(error_text.message(exc))
            return None

    def _on_test_button_clicked(self) -> None:
        url, password = self._url(), self.password.text() or None
        if url is None:
            return
        self.status.setText(self.tr("Connecting…"))
        self._work.submit(
            self._ctx.reads, lambda: server.probe(url, password), self._on_probed, self._failed
        )

    def _on_probed(self, info: server.ServerInfo) -> None:
        line = (
            self.tr("Encrypted (%1)").replace("%1", info.tls_version or "TLS")
            if info.tls
            else self.tr("Not encrypted")
        )
        kind = self.tr("a team database") if info.team else self.tr("not set up as a team database")
        self.status.setText(
            self.tr("Connected as %1 to PostgreSQL %2; %3; %4.")
            .replace("%1", info.login)
            .replace("%2", info.server_version)
            .replace("%3", line)
            .replace("%4", kind)
        )

    def _on_save_button_clicked(self) -> None:
        url, password = self._url(), self.password.text()
        if url is None:
            return

        def save() -> str:
            if password:
                server.save_password(url, password)
            return url

        self._work.submit(self._ctx.reads, save, self._on_saved, self._failed)

    def _on_saved(self, url: str) -> None:
        self._prefs.database_url = url
        self.password.clear()
        self.status.setText(self.tr("Saved: Touchpoint uses this server from its next start."))

    def _on_local_button_clicked(self) -> None:
        self._prefs.database_url = ""
        self.status.setText(
            self.tr("Touchpoint uses the database on this computer from its next start.")
        )

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.status.setText(error_text.message(exc))
        else:
            self._ctx.report_error(exc)
