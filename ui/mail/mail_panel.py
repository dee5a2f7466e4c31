"""The Mail section: linked mailboxes with their last sync or error, "Sync
now" with progress and Cancel, the outbox, and a notice while offline; and
the letters from unknown addresses, to link to cards by hand (a tab)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.core.changes import Changes
from services.mail import accounts, outbox
from services.mail import use_cases as mail_cases
from ui.context import UiContext
from ui.dialogs.call_import_dialog import CallImportDialog
from ui.mail import stored_errors
from ui.mail.account_dialog import AccountDialog
from ui.mail.unlinked_panel import UnlinkedPanel
from ui.shell import formatting
from ui.shell.icons import icon
from ui.shell.preferences import Preferences
from ui.widgets import button_keys
from ui.widgets.plain import plain_label, tooltip
from ui.widgets.questions import confirm_destructive
from ui.widgets.work import Work

OUTBOX_STATES = ("queued", "sending", "failed")


def state_label(state: str) -> str:
    return {
        "queued": QCoreApplication.translate("MailPanel", "Waiting"),
        "sending": QCoreApplication.translate("MailPanel", "Sending"),
        "failed": QCoreApplication.translate("MailPanel", "Not sent"),
        "sent": QCoreApplication.translate("MailPanel", "Sent"),
    }.get(state, state)


def _section_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "section")
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    return table


class MailPanel(QWidget):
    def __init__(self, ctx: UiContext, prefs: Preferences | None = None, parent: Any = None):
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self._prefs = prefs or Preferences()
        self._accounts: list[accounts.AccountView] = []
        self._progress: dict[int, tuple[str, int, int]] = {}
        self._failures: dict[int, str] = {}  # the last sync's error, until one succeeds
        self._waiting = 0
        self.dialog: Any = None

        self.banner = QFrame()
        self.banner.setObjectName("banner")
        self.banner_icon = QLabel()
        self.banner_icon.setPixmap(icon("offline").pixmap(QSize(20, 20)))
        self.banner_text = plain_label()
        self.banner_text.setWordWrap(True)
        banner_row = QHBoxLayout(self.banner)
        banner_row.addWidget(self.banner_icon, 0, Qt.AlignmentFlag.AlignTop)
        banner_row.addWidget(self.banner_text, 1)
        self.banner.setVisible(False)

        self.accounts = _table([self.tr("Account"), self.tr("Last sync"), self.tr("State")])
        header = self.accounts.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.accounts.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton(icon("new"), self.tr("Add account…"))
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.sync_button = QPushButton(icon("sync"), self.tr("Sync now"))
        self.sync_button.clicked.connect(self._on_sync_button_clicked)
        self.cancel_button = QPushButton(icon("cancel"), self.tr("Cancel sync"))
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.remove_button = QPushButton(self.tr("Remove account"))
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.password_button = QPushButton(self.tr("Enter password…"))
        self.password_button.setToolTip(
            self.tr("Enter the mailbox password again; it is kept in the system keyring")
        )
        self.password_button.clicked.connect(self._on_password_button_clicked)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress_label = plain_label()
        self.progress_label.setVisible(False)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.sync_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.password_button)
        buttons.addWidget(self.remove_button)
        self.empty_accounts = QLabel(
            self.tr(
                "No mailbox is linked yet. Add one to import letters with your clients "
                "and to send mail from Touchpoint."
            )
        )
        self.empty_accounts.setProperty("role", "muted")
        self.empty_accounts.setWordWrap(True)

        self.outbox = _table(
            [
                self.tr("To"),
                self.tr("Subject"),
                self.tr("Send at"),
                self.tr("State"),
                self.tr("Last failure"),
            ]
        )
        header = self.outbox.horizontalHeader()
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.outbox.itemSelectionChanged.connect(self._update_buttons)
        self.stop_button = QPushButton(icon("cancel"), self.tr("Do not send"))
        self.stop_button.clicked.connect(self._on_stop_button_clicked)
        self.send_button = QPushButton(icon("outbox"), self.tr("Send due letters now"))
        self.send_button.clicked.connect(self._on_send_button_clicked)
        outbox_buttons = QHBoxLayout()
        outbox_buttons.addWidget(self.send_button)
        outbox_buttons.addStretch()
        outbox_buttons.addWidget(self.stop_button)

        self.unlinked = UnlinkedPanel(ctx)
        self.import_calls_button = QPushButton(self.tr("Import call log…"))
        self.import_calls_button.setToolTip(
            self.tr("Calls from a PBX export: each goes to the card that has its number")
        )
        self.import_calls_button.clicked.connect(self.import_calls)
        self.unlinked.extra_buttons.insertWidget(
            self.unlinked.extra_buttons.count() - 1, self.import_calls_button
        )

        mailboxes = QWidget()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(mailboxes, self.tr("Mailboxes"))
        self.tabs.addTab(self.unlinked, self.tr("Unlinked letters"))
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.addWidget(self.banner)
        outer.addWidget(self.tabs, 1)

        self._keys(mailboxes)

        layout = QVBoxLayout(mailboxes)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(_section_label(self.tr("Mail accounts")))
        layout.addWidget(self.empty_accounts)
        layout.addWidget(self.accounts, 1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        layout.addSpacing(12)
        layout.addWidget(_section_label(self.tr("Outbox")))
        layout.addWidget(self.outbox, 2)
        layout.addLayout(outbox_buttons)

        mail: Any = ctx.mail
        self._mail = mail
        if mail is not None and hasattr(mail, "sync_progressed"):
            mail.sync_progressed.connect(self._on_mail_sync_progressed)
            mail.sync_finished.connect(self._on_mail_sync_finished)
            mail.sync_failed.connect(self._on_mail_sync_failed)
            mail.outbox_changed.connect(self._on_mail_outbox_changed)
            mail.online_changed.connect(self._on_mail_online_changed)
        ctx.bus.changed.connect(self._on_bus_changed)
        self._update_banner()
        self._update_buttons()

    def _keys(self, mailboxes: QWidget) -> None:
        """The buttons' keys, where the focus is (none is the window's: grep
        QKeySequence before adding one), each named in its button's tooltip."""
        for area, key, button, what in (
            (mailboxes, "Ins", self.add_button, self.tr("Link a mailbox")),
            (mailboxes, "Ctrl+M", self.sync_button, self.tr("Fetch the selected mailbox now")),
            (mailboxes, "Esc", self.cancel_button, self.tr("Stop after the current batch")),
            (mailboxes, "Ctrl+P", self.password_button, self.password_button.toolTip()),
            (self.accounts, "Del", self.remove_button, self.tr("Remove the selected mailbox")),
            (self.outbox, "Del", self.stop_button, self.tr("Do not send the selected letter")),
            (mailboxes, "Ctrl+Return", self.send_button, self.tr("Send the due letters now")),
            (
                self.unlinked,
                "Ctrl+Shift+I",
                self.import_calls_button,
                self.import_calls_button.toolTip(),
            ),
        ):
            button_keys.bind(area, QKeySequence(key), button, what)

    # -- data ---------------------------------------------------------------

    def show_unlinked(self) -> None:
        self.tabs.setCurrentWidget(self.unlinked)

    def import_calls(self) -> CallImportDialog:
        dialog = CallImportDialog(self._ctx, self)
        dialog.imported.connect(self._on_calls_imported)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_calls_imported(self, _result: object) -> None:
        """Open cards follow the change bus; nothing more to do here."""

    def _on_tabs_current_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.unlinked:
            self.unlinked.refresh()

    def refresh(self) -> None:
        if self.tabs.currentWidget() is self.unlinked:
            self.unlinked.refresh()
        self._work.read(
            lambda uow, actor: (
                accounts.list_accounts(uow, actor),
                outbox.list_items(uow, actor, OUTBOX_STATES),
            ),
            self._on_loaded,
        )

    def _on_loaded(self, result: tuple[list[Any], list[Any]]) -> None:
        self._accounts, items = result
        self._fill_accounts()
        self._fill_outbox(items)
        self._update_buttons()

    def _fill_accounts(self) -> None:
        selected = self.selected_account()
        self.accounts.setRowCount(len(self._accounts))
        for row, acc in enumerate(self._accounts):
            name = acc.email if not acc.display_name else f"{acc.display_name} <{acc.email}>"
            last = formatting.date_time(formatting.iso(acc.last_sync_at)) or self.tr("never")
            cells = [name, last, self._account_state(acc)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, acc.id)
                error = self._failures.get(acc.id) or stored_errors.worded(acc.last_error)
                if column == 2 and error and acc.id not in self._progress:
                    item.setToolTip(tooltip(error))
                    item.setIcon(icon("offline"))
                self.accounts.setItem(row, column, item)
            if acc.id == selected:
                self.accounts.selectRow(row)
        if selected is None and self._accounts:
            self.accounts.selectRow(0)
        self.empty_accounts.setVisible(not self._accounts)
        self.accounts.setVisible(bool(self._accounts))

    def _account_state(self, acc: Any) -> str:
        if acc.id in self._progress:
            folder, done, total = self._progress[acc.id]
            return (
                self.tr("Syncing %1: %2 of %3")
                .replace("%1", folder)
                .replace("%2", str(done))
                .replace("%3", str(total))
            )
        if self._is_syncing(acc.id):
            return self.tr("Syncing…")
        error = self._failures.get(acc.id) or stored_errors.worded(acc.last_error)
        if error:
            return self.tr("Error: %1").replace("%1", error)
        if not acc.enabled:
            return self.tr("Paused")
        return self.tr("Every %n minute(s)", "", acc.sync_minutes)

    def _fill_outbox(self, items: list[Any]) -> None:
        self.outbox.setRowCount(len(items))
        for row, item in enumerate(items):
            cells = [
                ", ".join(item.to),
                item.subject,
                formatting.date_time(item.send_at),
                state_label(item.state),
                stored_errors.worded(item.last_error),
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.id)
                if column == 4 and text:
                    cell.setToolTip(tooltip(text))
                self.outbox.setItem(row, column, cell)

    # -- selection and buttons ---------------------------------------------

    def selected_account(self) -> int | None:
        rows = self.accounts.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.accounts.item(rows[0].row(), 0)
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return int(value) if value is not None else None

    def selected_letter(self) -> int | None:
        rows = self.outbox.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.outbox.item(rows[0].row(), 0)
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _is_syncing(self, account_id: int) -> bool:
        check = getattr(self._mail, "is_syncing", None)
        return bool(check(account_id)) if check is not None else account_id in self._progress

    def _update_buttons(self) -> None:
        account = self.selected_account()
        has_mail = self._mail is not None
        syncing = account is not None and self._is_syncing(account)
        self.sync_button.setEnabled(has_mail and account is not None and not syncing)
        self.cancel_button.setEnabled(has_mail and syncing)
        self.remove_button.setEnabled(account is not None and not syncing)
        self.password_button.setEnabled(account is not None and not syncing)
        self.stop_button.setEnabled(self.selected_letter() is not None)
        self.send_button.setEnabled(has_mail and self.outbox.rowCount() > 0)

    def _on_add_button_clicked(self) -> None:
        self.dialog = AccountDialog(self._ctx, self._prefs.sync_minutes, self)
        self.dialog.added.connect(lambda _view: self.refresh())
        self.dialog.open()

    def _on_sync_button_clicked(self) -> None:
        account = self.selected_account()
        if account is not None and self._mail is not None:
            self._mail.sync_now(account)
            self._fill_accounts()
            self._update_buttons()

    def _on_cancel_button_clicked(self) -> None:
        account = self.selected_account()
        if account is not None and self._mail is not None:
            self._mail.cancel(account)
            self.progress_label.setText(self.tr("Stopping after the current batch…"))

    def _on_send_button_clicked(self) -> None:
        if self._mail is not None:
            self._mail.send_due()

    def _on_password_button_clicked(self) -> None:
        from ui.mail.password_dialog import PasswordDialog

        account = self.selected_account()
        found = [a for a in self._accounts if a.id == account]
        if account is None or not found:
            return
        self.dialog = PasswordDialog(self._ctx, account, found[0].email, self)
        self.dialog.saved.connect(self._on_password_saved)
        self.dialog.open()

    def _on_password_saved(self, account: int) -> None:
        self._failures.pop(account, None)
        if self._mail is not None:
            self._mail.sync_now(account)  # try it at once
        self.refresh()

    def _on_remove_button_clicked(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        if not confirm_destructive(
            self,
            self.tr("Remove account"),
            self.tr(
                "Remove this mailbox from Touchpoint? Imported letters stay in the feeds; "
                "the saved password is deleted from the keyring."
            ),
            self.tr("Remove account"),
        ):
            return
        self._work.run(
            lambda db, actor: mail_cases.remove_account(db, actor, account),
            lambda _r: self.refresh(),
        )

    def _on_stop_button_clicked(self) -> None:
        letter = self.selected_letter()
        if letter is None:
            return
        self._work.run(
            lambda db, actor: mail_cases.cancel_letter(db, actor, letter),
            lambda _r: self.refresh(),
        )

    # -- the mail driver ----------------------------------------------------

    def _on_mail_sync_progressed(self, account: Any, folder: str, done: Any, total: Any) -> None:
        self._progress[int(account)] = (folder, int(done), int(total))
        if self.selected_account() in (None, int(account)):
            self.progress.setVisible(True)
            self.progress_label.setVisible(True)
            self.progress.setRange(0, max(int(total), 1))
            self.progress.setValue(int(done))
            self.progress_label.setText(
                self.tr("%1: %2 of %3 messages")
                .replace("%1", folder)
                .replace("%2", str(done))
                .replace("%3", str(total))
            )
        self._fill_accounts()
        self._update_buttons()

    def _finish(self, account: Any) -> None:
        self._progress.pop(int(account), None)
        if not self._progress:
            self.progress.setVisible(False)
            self.progress_label.setVisible(False)
        self.refresh()

    def _on_mail_sync_finished(self, account: Any, _result: Any) -> None:
        self._failures.pop(int(account), None)
        self._finish(account)
        if self.unlinked.model.loaded_once and self.tabs.currentWidget() is not self.unlinked:
            self.unlinked.refresh()  # new letters from unknown addresses

    def _on_bus_changed(self, changes: Changes) -> None:
        """Letters or calls put on cards (the linking job, a link by hand) leave
        the unlinked list; unlinked ones come back to it: whoever did it."""
        if not self.unlinked.model.loaded_once:
            return
        linked = changes.created.get("interaction") or changes.removed.get("interaction")
        if linked or changes.touches("letter") or changes.touches("call"):
            self.unlinked.refresh()

    def _on_mail_sync_failed(self, account: Any, reason: str) -> None:
        self._failures[int(account)] = reason
        self._finish(account)

    def _on_mail_outbox_changed(self, status: Any) -> None:
        self._waiting = int(getattr(status, "waiting", 0))
        self._update_banner()
        self.refresh()

    def _on_mail_online_changed(self, _online: bool) -> None:
        self._update_banner()

    def _update_banner(self) -> None:
        online = True if self._mail is None else bool(self._mail.online)
        if online:
            self.banner.setVisible(False)
            return
        text = self.tr("You are offline. Mail sync resumes by itself when the connection is back.")
        if self._waiting:
            text += " " + self.tr(
                "%n letter(s) wait in the outbox and go out then.", "", self._waiting
            )
        self.banner_text.setText(text)
        self.banner.setVisible(True)
