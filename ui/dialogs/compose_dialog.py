"""A short letter from a card (SPEC C4, C5): it goes into the outbox, now
or at a chosen time, and shows in the feed as a planned email until sent.
A template, plain or AI, can write it first (SPEC E2: ``TemplatePanel``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTimeEdit,
    QVBoxLayout,
)

from services.core import timezones
from services.core.errors import UserError, ValidationError
from services.core.views import ContactView, DealRow
from services.mail import outbox
from services.mail import use_cases as mail_cases
from services.mail.accounts import AccountView
from ui.context import UiContext
from ui.dialogs.template_panel import TemplatePanel
from ui.shell import error_text
from ui.widgets import timefmt
from ui.widgets.hints import FieldHint, with_hint
from ui.widgets.plain import plain_label
from ui.widgets.work import Work

SEND = QKeySequence("Ctrl+Return")


class ComposeDialog(QDialog):
    queued = Signal(object)  # OutboxView

    def __init__(
        self,
        ctx: UiContext,
        accounts: Sequence[AccountView],
        *,
        to: str = "",
        client_id: int | None = None,
        lead_id: int | None = None,
        deal_id: int | None = None,
        contact_ids: tuple[int, ...] = (),
        contacts: Sequence[ContactView] = (),
        deals: Sequence[DealRow] = (),
        zone: str | None = None,
        subject: str = "",
        body: str = "",
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self._party = {"client_id": client_id, "lead_id": lead_id, "deal_id": deal_id}
        self._contact_ids = contact_ids
        self._zone = zone or timezones.machine_zone()
        self.result_view: outbox.OutboxView | None = None
        self.setWindowTitle(self.tr("New letter"))
        self.setModal(True)
        self.setMinimumWidth(680)

        self.account = QComboBox()
        for acc in accounts:
            label = f"{acc.display_name} <{acc.email}>" if acc.display_name else acc.email
            self.account.addItem(label, acc.id)
        self.to = QLineEdit(to)
        self.to.setPlaceholderText(self.tr("name@example.com, another@example.com"))
        self.subject = QLineEdit(subject)
        self.subject.setPlaceholderText(self.tr("What the letter is about"))
        self.body = QPlainTextEdit(body)
        self.body.setMinimumHeight(160)
        self.hints = {k: FieldHint() for k in ("to", "subject", "when", "")}
        self.templates = TemplatePanel(
            ctx,
            client_id,
            contacts,
            deals,
            self.subject,
            self.body,
            self.to.text,
            contact_id=contact_ids[0] if contact_ids else None,
            deal_id=deal_id,
            parent=self,
        )
        self.templates.busy_changed.connect(self._on_templates_busy_changed)
        self.templates.preview_ready.connect(self.show_preview)

        self.now_radio = QRadioButton(self.tr("Send now"))
        self.later_radio = QRadioButton(self.tr("Send at"))
        self.now_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.now_radio)
        group.addButton(self.later_radio)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.time_edit = QTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        morning = dt.datetime.now(dt.UTC).astimezone(timezones.zone(self._zone))
        morning = morning + dt.timedelta(days=1)
        self.date_edit.setDate(QDate(morning.year, morning.month, morning.day))
        self.time_edit.setTime(QTime(9, 0))
        when_row = QHBoxLayout()
        when_row.addWidget(self.now_radio)
        when_row.addSpacing(12)
        when_row.addWidget(self.later_radio)
        when_row.addWidget(self.date_edit)
        when_row.addWidget(self.time_edit)
        when_row.addStretch(1)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(self.templates.ready_box)
        form.addRow(self.tr("Template"), self.templates.pick_row)
        form.addRow("", self.templates.hint)
        form.addRow("", self.templates.ai_box)
        form.addRow(self.tr("From"), self.account)
        form.addRow(self.tr("To"), with_hint(self.to, self.hints["to"]))
        form.addRow(self.tr("Subject"), with_hint(self.subject, self.hints["subject"]))
        form.addRow(with_hint(self.body, self.hints[""]))
        form.addRow(self.tr("When"), with_hint(when_row, self.hints["when"]))

        self.buttons = QDialogButtonBox()
        self.send_button = self.buttons.addButton(
            self.tr("Send"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.send_button.setDefault(True)
        self.send_button.setToolTip(
            self.tr("Send or schedule the letter (%1)").replace(
                "%1", SEND.toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        # Offline the letter is not lost: it waits; say so before "Send".
        self.offline_note = plain_label(
            self.tr(
                "The mail server cannot be reached now: the letter waits in the outbox "
                "and is sent when the connection is back."
            )
        )
        self.offline_note.setWordWrap(True)
        self.offline_note.setStyleSheet("color: palette(placeholder-text);")
        mail: Any = ctx.mail
        self.offline_note.setVisible(mail is not None and getattr(mail, "online", True) is False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.send_button.clicked.connect(self._on_send_button_clicked)
        self.later_radio.toggled.connect(self._on_later_radio_toggled)
        self._on_later_radio_toggled(False)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.addLayout(form)
        layout.addWidget(self.offline_note)
        layout.addWidget(self.buttons)
        QShortcut(SEND, self).activated.connect(self._on_send_button_clicked)
        self.to.textEdited.connect(lambda _t: self.hints["to"].clear_hint())
        self.subject.textEdited.connect(lambda _t: self.hints["subject"].clear_hint())
        (self.body if to and subject else self.subject if to else self.to).setFocus()

    def _on_templates_busy_changed(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)

    def show_preview(self, text: str) -> None:
        """Exactly what a generation sends (SPEC E3), to read before sending it."""
        self.preview = QDialog(self)
        self.preview.setWindowTitle(self.tr("What is sent to the AI server"))
        self.preview.resize(640, 480)
        view = QPlainTextEdit(text)
        view.setReadOnly(True)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.preview.accept)
        column = QVBoxLayout(self.preview)
        column.addWidget(view)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        column.addLayout(row)
        self.preview.open()

    def reject(self) -> None:
        """Esc while the AI writes stops the AI, not the letter."""
        if self.templates.generation.running:
            self.templates.generation.stop()
            return
        super().reject()

    def done(self, result: int) -> None:
        self.templates.generation.abandon()
        super().done(result)

    def _on_later_radio_toggled(self, later: bool) -> None:
        self.date_edit.setEnabled(later)
        self.time_edit.setEnabled(later)
        self.send_button.setText(self.tr("Schedule") if later else self.tr("Send"))

    def send_at(self) -> dt.datetime | None:
        if not self.later_radio.isChecked():
            return None
        d, t = self.date_edit.date(), self.time_edit.time()
        wall = dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
        return timezones.wall_to_utc(wall, self._zone)

    def _on_send_button_clicked(self) -> None:
        for hint in self.hints.values():
            hint.clear_hint()
        try:
            when = self.send_at()
        except ValidationError as exc:
            self.hints["when"].show_error(error_text.message(exc))
            return
        if when is not None and when < dt.datetime.now(dt.UTC):
            self.hints["when"].show_error(self.tr("Pick a time in the future, or send now"))
            return
        account_id = self.account.currentData()
        to = [self.to.text()]
        subject, body = self.subject.text(), self.body.toPlainText()
        party, contacts = self._party, self._contact_ids
        self.send_button.setEnabled(False)
        letter = mail_cases.Letter(
            account_id,
            to=to,
            subject=subject,
            body=body,
            send_at=when,
            contact_ids=contacts,
            client_id=party["client_id"],
            lead_id=party["lead_id"],
            deal_id=party["deal_id"],
        )
        self._work.run(
            lambda db, actor: mail_cases.send_letter(db, actor, letter),
            lambda view: self._on_queued(view, when is None),
            self._on_failed,
        )

    def _on_queued(self, view: outbox.OutboxView, now: bool) -> None:
        self.result_view = view
        if now and self._ctx.mail is not None:
            self._ctx.mail.send_due()
        self.queued.emit(view)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.send_button.setEnabled(True)
        if isinstance(exc, ValidationError) and exc.field in self.hints:
            self.hints[exc.field or ""].show_error(error_text.message(exc))
        elif isinstance(exc, UserError):
            self.hints[""].show_error(error_text.message(exc))
        else:
            self._ctx.report_error(exc)

    def describe_when(self) -> str:
        when = self.send_at()
        if when is None:
            return self.tr("now")
        return timefmt.when(when.astimezone(timezones.zone(self._zone)), self._zone)
