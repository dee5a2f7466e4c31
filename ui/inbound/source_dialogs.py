"""Adding a request source (a mailbox, a web-form folder, a Telegram bot),
its form field mapping and its bot token. The token goes to the OS keyring
only after Telegram accepted it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from services.inbound import setup, telegram, telegram_poll
from services.inbound.views import SourceView
from services.mail.accounts import AccountView
from ui.context import UiContext
from ui.settings.form_parts import muted
from ui.shell import error_text
from ui.widgets.work import Work

MAPPED = ("name", "phone", "email", "message")


class MappingFields:
    """The four labels of a web form's fields, as its mailer writes them."""

    def __init__(self, form: QFormLayout, mapping: dict[str, str] | None) -> None:
        self.edits: dict[str, QLineEdit] = {}
        names = {
            "name": QCoreApplication.translate("SourceDialog", "“Name” field"),
            "phone": QCoreApplication.translate("SourceDialog", "“Phone” field"),
            "email": QCoreApplication.translate("SourceDialog", "“Email” field"),
            "message": QCoreApplication.translate("SourceDialog", "“Message” field"),
        }
        for field in MAPPED:
            edit = QLineEdit((mapping or {}).get(field, ""))
            edit.setMaxLength(60)
            edit.setPlaceholderText(
                QCoreApplication.translate("SourceDialog", "as the form's letters label it")
            )
            self.edits[field] = edit
            form.addRow(names[field], edit)

    def mapping(self) -> dict[str, str]:
        return {field: edit.text().strip() for field, edit in self.edits.items()}

    def set_visible(self, form: QFormLayout, shown: bool) -> None:
        for edit in self.edits.values():
            form.setRowVisible(edit, shown)


class SourceDialog(QDialog):
    saved = Signal(object)  # SourceView

    def __init__(self, ctx: UiContext, accounts: list[AccountView], parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.setWindowTitle(self.tr("New request source"))
        self.resize(520, 0)
        self.kind = QComboBox()
        for kind, label in (
            ("mail_account", self.tr("A mailbox: its new mail becomes requests")),
            ("web_form", self.tr("Web forms: a mailbox folder the site's form mailer writes to")),
            ("telegram", self.tr("A Telegram bot")),
        ):
            self.kind.addItem(label, kind)
        self.kind.currentIndexChanged.connect(self._update_fields)
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.account = QComboBox()
        for account in accounts:
            self.account.addItem(account.email, account.id)
        self.folder = QLineEdit("INBOX")
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("123456789:AA…")
        self.token_note = muted(
            self.tr("From @BotFather. Kept in the system keyring, checked with Telegram first.")
        )
        self.api_base = QLineEdit(telegram.API_URL)
        self.api_base.setMaxLength(500)
        self.api_base.setToolTip(
            self.tr("Telegram's own server, or a Bot API compatible server (a proxy)")
        )
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 24 * 60)
        self.minutes.setValue(5)
        self.minutes.setSuffix(self.tr(" min"))
        self.process = QCheckBox(self.tr("Process requests"))
        self.process.setChecked(True)
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Mailbox"), self.account)
        form.addRow(self.tr("Folder"), self.folder)
        form.addRow(self.tr("Bot token"), self.token)
        form.addRow("", self.token_note)
        form.addRow(self.tr("Bot API address"), self.api_base)
        self.mapping = MappingFields(form, None)
        form.addRow(self.tr("Check every"), self.minutes)
        form.addRow("", self.process)
        self.form = form
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.buttons)
        self._update_fields()

    def _update_fields(self, *_args: Any) -> None:
        kind = self.kind.currentData()
        mail = kind in ("mail_account", "web_form")
        self.form.setRowVisible(self.account, mail)
        self.form.setRowVisible(self.folder, mail)
        self.form.setRowVisible(self.token, kind == "telegram")
        self.form.setRowVisible(self.token_note, kind == "telegram")
        self.form.setRowVisible(self.api_base, kind == "telegram")
        self.mapping.set_visible(self.form, kind == "web_form")

    def save(self) -> None:
        kind, name, token = self.kind.currentData(), self.name.text(), self.token.text()
        mail = kind in ("mail_account", "web_form")
        account_id = self.account.currentData() if mail else None
        folder = self.folder.text() if mail else None
        mapping = self.mapping.mapping() if kind == "web_form" else None
        minutes, process = self.minutes.value(), self.process.isChecked()
        address = self.api_base.text().strip().rstrip("/")
        api_base = address if kind == "telegram" and address not in ("", telegram.API_URL) else None

        def add(db: Any, actor: Any) -> Any:
            return setup.add_source(
                db,
                actor,
                kind,
                name,
                mail_account_id=account_id,
                folder=folder,
                process_requests=process,
                field_mapping=mapping,
                poll_minutes=minutes,
                api_base=api_base,
            )

        self._work.run(add, lambda view: self._on_added(view, token))

    def _on_added(self, view: SourceView, token: str) -> None:
        self.saved.emit(view)
        if view.kind == "telegram" and token.strip():
            ask_token(self._ctx, self._work, view.id, token)
        self.accept()


def ask_token(ctx: UiContext, work: Work, source_id: int, token: str) -> None:
    """Check the token with Telegram off the GUI thread, then keep it."""
    work.submit(
        ctx.reads,
        lambda: telegram_poll.set_token(ctx.db, ctx.actor, source_id, token),
        lambda _name: None,
        ctx.report_error,
    )


class TokenDialog(QDialog):
    """A new token for a Telegram source; Telegram answers with the bot's name."""

    token_saved = Signal(str)  # the bot's @username

    def __init__(self, ctx: UiContext, source: SourceView, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.source = source
        self.setWindowTitle(self.tr("Telegram bot token"))
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("123456789:AA…")
        self.status = muted(
            self.tr("From @BotFather. Kept in the system keyring, checked with Telegram first.")
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Bot token"), self.token)
        form.addRow("", self.status)
        form.addRow(self.buttons)

    def save(self) -> None:
        ctx, source_id, token = self._ctx, self.source.id, self.token.text()
        self.buttons.setEnabled(False)
        self.status.setText(self.tr("Asking Telegram…"))
        self._work.submit(
            ctx.reads,
            lambda: telegram_poll.set_token(ctx.db, ctx.actor, source_id, token),
            self._on_saved,
            self._on_failed,
        )

    def _on_saved(self, name: str) -> None:
        self.token_saved.emit(name)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.status.setText(error_text.message(exc))


class MappingDialog(QDialog):
    """The labels of a web form's fields (Settings → Sources & rules)."""

    def __init__(self, ctx: UiContext, source: SourceView, parent: Any = None) -> None:
        super().__init__(parent)
        self._work = Work(ctx, self)
        self.source = source
        self.setWindowTitle(self.tr("Form fields"))
        form = QFormLayout(self)
        form.addRow(
            muted(
                self.tr(
                    "Leave a field empty to use the usual labels (Имя, Name, Телефон, Phone, "
                    "E-mail, Сообщение, Message …)."
                )
            )
        )
        self.mapping = MappingFields(form, source.field_mapping)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> None:
        source_id, mapping = self.source.id, self.mapping.mapping()
        self._work.run(
            lambda db, actor: setup.set_source(db, actor, source_id, field_mapping=mapping),
            lambda _view: self.accept(),
        )
