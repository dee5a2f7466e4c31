"""One request: who wrote, what, through which source; what the rule did and
why; the original as it arrived; and what a person can do with it (take,
reassign, decline with a reason, link to a card or a deal, undo a wrong
conversion). Every text from outside is shown as plain text."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.core.views import ContactView
from services.inbound import queries
from services.inbound import use_cases as inbound
from services.inbound.views import OriginalView, RequestView
from services.parties import records
from ui.context import UiContext
from ui.inbound import texts
from ui.inbound.request_dialogs import DeclineDialog, ReassignDialog, link_dialog
from ui.inbound.request_model import sender_text
from ui.shell import error_text, formatting
from ui.widgets.empty_state import EmptyHint, hint_or_page
from ui.widgets.plain import plain_label
from ui.widgets.work import Work

MAX_ORIGINAL_SHOWN = 2 * 1024 * 1024  # characters; the stored original is bounded too


def original_text(original: OriginalView) -> str:
    """The original as text: a letter's source, a Bot API update pretty-printed."""
    data = original.data[:MAX_ORIGINAL_SHOWN]
    text = data.decode("utf-8", errors="replace")
    if original.content_type == "application/json":
        with contextlib.suppress(ValueError, RecursionError):
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=2)
    return text.replace("\x00", "\ufffd")


class OriginalDialog(QDialog):
    """The message exactly as it arrived, never rendered: plain text only."""

    def __init__(self, original: OriginalView, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Original message"))
        self.resize(760, 560)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFont("monospace"))
        self.text.setPlainText(original_text(original))
        note = plain_label()
        note.setWordWrap(True)
        if original.truncated:
            note.setText(
                self.tr("The original was %1 bytes; only its beginning was kept.").replace(
                    "%1", f"{original.size:,}".replace(",", " ")
                )
            )
        note.setVisible(original.truncated)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(note)
        column.addWidget(self.text, 1)
        column.addWidget(buttons)


class RequestCard(QWidget):
    """The right half of the Inbound section: the selected request."""

    open_requested = Signal(str, object)  # kind, id: a client, lead or deal card
    ticket_requested = Signal(object)  # ticket id
    acted = Signal(str)  # what was done, for the section's message bar

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.view: RequestView | None = None
        self.dialog: QDialog | None = None

        self.subject = plain_label()
        self.subject.setWordWrap(True)
        font = self.subject.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.subject.setFont(font)
        self.sender_label = plain_label()
        self.sender_label.setWordWrap(True)
        self.sender_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.received = plain_label()
        self.source = plain_label()
        self.state = plain_label()
        self.owner = plain_label()
        self.owner.setWordWrap(True)
        self.reason = plain_label()
        self.reason.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("From"), self.sender_label)
        form.addRow(self.tr("Received"), self.received)
        form.addRow(self.tr("Source"), self.source)
        form.addRow(self.tr("State"), self.state)
        form.addRow(self.tr("Owner"), self.owner)
        form.addRow(self.tr("Reason"), self.reason)
        self._reason_row = form.rowCount() - 1
        self.form = form

        self.why_title = plain_label(self.tr("What the rule did and why"))
        self.why_title.setStyleSheet("font-weight: 600;")
        self.why = plain_label()
        self.why.setWordWrap(True)
        self.why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.body = QPlainTextEdit()
        self.body.setReadOnly(True)
        self.body.setMinimumHeight(90)

        self.links = QHBoxLayout()
        self.open_client = QPushButton(self.tr("Open card"))
        self.open_client.clicked.connect(self._on_open_client_clicked)
        self.open_deal = QPushButton(self.tr("Open deal"))
        self.open_deal.clicked.connect(self._on_open_deal_clicked)
        self.open_ticket = QPushButton(self.tr("Open ticket"))
        self.open_ticket.clicked.connect(self._on_open_ticket_clicked)
        self.show_original = QPushButton(self.tr("Original…"))
        self.show_original.setToolTip(self.tr("The message exactly as it arrived"))
        self.show_original.clicked.connect(self.open_original)
        for button in (self.open_client, self.open_deal, self.open_ticket):
            self.links.addWidget(button)
        self.links.addStretch(1)
        self.links.addWidget(self.show_original)

        self.take_button = QPushButton(self.tr("Take"))
        self.take_button.setToolTip(self.tr("Make this request yours (Ctrl+T)"))
        self.take_button.clicked.connect(self.take)
        self.reassign_button = QPushButton(self.tr("Reassign…"))
        self.reassign_button.setToolTip(self.tr("Give this request to a colleague (Ctrl+R)"))
        self.reassign_button.clicked.connect(self.choose_owner)
        self.decline_button = QPushButton(self.tr("Decline…"))
        self.decline_button.setToolTip(self.tr("Decline this request with a reason (Delete)"))
        self.decline_button.clicked.connect(self.choose_reason)
        self.link_card_button = QPushButton(self.tr("Link to a card…"))
        self.link_card_button.clicked.connect(lambda: self.choose_link(deals=False))
        self.link_deal_button = QPushButton(self.tr("Attach to a deal…"))
        self.link_deal_button.clicked.connect(lambda: self.choose_link(deals=True))
        self.undo_button = QPushButton(self.tr("Undo conversion"))
        self.undo_button.clicked.connect(self.undo)
        actions = QGridLayout()
        actions.setHorizontalSpacing(6)
        row_one = (self.take_button, self.reassign_button, self.decline_button)
        row_two = (self.link_card_button, self.link_deal_button, self.undo_button)
        for place, button in enumerate(row_one):
            actions.addWidget(button, 0, place)
        for place, button in enumerate(row_two):
            actions.addWidget(button, 1, place)

        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(12, 8, 12, 8)
        column.addWidget(self.subject)
        column.addLayout(form)
        column.addLayout(actions)
        column.addWidget(self.why_title)
        column.addWidget(self.why)
        column.addWidget(self.body, 1)
        column.addLayout(self.links)
        self.empty = EmptyHint(
            self.tr("No request selected"), self.tr("Choose a request in the list to see it here.")
        )
        self.stack = hint_or_page(self, self.empty, page)
        # no request yet: none of its buttons (all six asked ~600 px in Russian
        # of a 1366 px window, and the list's subject got what was left)
        self._update_buttons()

    # --- showing --------------------------------------------------------------------

    def show_request(self, request_id: int | None) -> None:
        if request_id is None:
            self.view = None
            self.stack.setCurrentWidget(self.empty)
            return
        self._work.read(
            lambda uow, actor: queries.get_request(uow, actor, request_id),
            self.set_view,
            self._on_load_failed,
        )

    def reload(self) -> None:
        """Read the shown request again; one that is no longer the user's to
        see (reassigned to a colleague) leaves the card empty, not an error."""
        if self.view is None:
            return
        request_id = self.view.id
        self._work.read(
            lambda uow, actor: queries.get_request(uow, actor, request_id),
            self.set_view,
            lambda _exc: self.show_request(None),
        )

    def set_view(self, view: RequestView) -> None:
        self.view = view
        self.stack.setCurrentIndex(1)
        self.subject.setText(view.subject or self.tr("(no subject)"))
        self.sender_label.setText(sender_text(view))
        self.received.setText(formatting.date_time(view.received_at) or "—")
        source = f"{texts.channel_label(view.channel)} · {view.source}"
        self.source.setText(f"{source} · {texts.mark_label(view.mark)}" if view.mark else source)
        self.state.setText(texts.state_label(view.state))
        if view.owner:
            self.owner.setText(view.owner)
        elif view.role:
            self.owner.setText(
                self.tr("Offered to the role %1").replace("%1", texts.role_label(view.role))
            )
        else:
            self.owner.setText(self.tr("Nobody yet"))
        reason = view.rejection_reason or ""
        if view.rejection_note:
            reason = f"{reason}: {view.rejection_note}" if reason else view.rejection_note
        self.reason.setText(reason)
        self.form.setRowVisible(self._reason_row, view.state == "rejected")
        lines = texts.why_lines(view.why)
        if view.created_lead and not (view.why or {}).get("new_lead"):
            lines.append(self.tr("A new lead was made for the sender."))
        self.why.setText("\n".join(lines))
        self.body.setPlainText(view.body)
        self._update_buttons()

    def _update_buttons(self) -> None:
        view = self.view
        state = view.state if view is not None else ""
        mine = view is not None and view.owner_id == self._ctx.actor.id
        is_open = state in ("new", "assigned")
        self.take_button.setVisible(
            is_open and not mine and view is not None and view.owner_id is None
        )
        self.reassign_button.setVisible(is_open)
        self.decline_button.setVisible(is_open)
        self.link_card_button.setVisible(state != "rejected" and view is not None)
        self.link_deal_button.setVisible(is_open and not (view and view.mark))
        self.undo_button.setVisible(state in ("converted", "rejected"))
        self.undo_button.setText(
            self.tr("Reopen") if state == "rejected" else self.tr("Undo conversion")
        )
        has_card = view is not None and (view.client_id or view.lead_id) is not None
        self.open_client.setVisible(has_card)
        self.open_deal.setVisible(view is not None and view.deal_id is not None)
        self.open_ticket.setVisible(view is not None and view.ticket_id is not None)
        if view is not None and view.ticket_number is not None:
            self.open_ticket.setText(
                self.tr("Open ticket #%1").replace("%1", str(view.ticket_number))
            )

    def _on_load_failed(self, exc: BaseException) -> None:
        self.view = None
        self.empty.set_text(self.tr("This request cannot be shown"), error_text.message(exc))
        self.stack.setCurrentWidget(self.empty)

    # --- links ----------------------------------------------------------------------

    def _on_open_client_clicked(self) -> None:
        view = self.view
        if view is not None and view.client_id is not None:
            self.open_requested.emit("client", view.client_id)
        elif view is not None and view.lead_id is not None:
            self.open_requested.emit("lead", view.lead_id)

    def _on_open_deal_clicked(self) -> None:
        if self.view is not None and self.view.deal_id is not None:
            self.open_requested.emit("deal", self.view.deal_id)

    def _on_open_ticket_clicked(self) -> None:
        if self.view is not None and self.view.ticket_id is not None:
            self.ticket_requested.emit(self.view.ticket_id)

    def open_original(self) -> None:
        if self.view is None:
            return
        request_id = self.view.id
        self._work.read(
            lambda uow, actor: queries.original(uow, actor, request_id), self._on_original
        )

    def _on_original(self, original: OriginalView) -> None:
        dialog = OriginalDialog(original, self)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    # --- actions --------------------------------------------------------------------

    def _run(self, use_case: Any, message: str) -> None:
        self._work.run(use_case, lambda view: self._on_done(view, message))

    def _on_done(self, view: RequestView, message: str) -> None:
        self.set_view(view)
        self.acted.emit(message)

    def take(self) -> None:
        if self.view is None:
            return
        request_id = self.view.id
        self._run(
            lambda db, actor: inbound.accept(db, actor, request_id),
            self.tr("The request is yours now"),
        )

    def choose_owner(self) -> None:
        if self.view is None:
            return
        dialog = ReassignDialog(self._ctx, self.view, self)
        dialog.chosen.connect(self.reassign)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def reassign(self, user_id: int, name: str) -> None:
        if self.view is None:
            return
        request_id = self.view.id
        self._run(
            lambda db, actor: inbound.reassign(db, actor, request_id, user_id),
            self.tr("The request went to %1").replace("%1", name),
        )

    def choose_reason(self) -> None:
        if self.view is None:
            return
        dialog = DeclineDialog(self._ctx, self)
        dialog.chosen.connect(self.decline)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def decline(self, reason_id: int, note: str) -> None:
        if self.view is None:
            return
        request_id = self.view.id
        self._run(
            lambda db, actor: inbound.reject(db, actor, request_id, reason_id, note or None),
            self.tr("The request was declined"),
        )

    def choose_link(self, *, deals: bool) -> None:
        if self.view is None:
            return
        dialog = link_dialog(self._ctx, self.view, self, deals=deals)
        dialog.chosen.connect(self.link)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def link(self, target: Any) -> None:
        """A client, lead or deal at once; a contact person through its client or lead."""
        if self.view is None:
            return
        request_id = self.view.id
        kind, target_id = target.kind, target.id
        name = target.name
        message = self.tr("The request is on %1 now").replace("%1", name)
        if kind == "contact":
            self._work.read(
                lambda uow, actor: records.get_contact(uow, actor, target_id),
                lambda contact: self._link_contact(request_id, contact, message),
            )
            return
        self._link_to(request_id, kind, target_id, message)

    def _link_contact(self, request_id: int, contact: ContactView, message: str) -> None:
        if contact.client_id is not None:
            self._link_to(request_id, "client", contact.client_id, message)
        elif contact.lead_id is not None:
            self._link_to(request_id, "lead", contact.lead_id, message)

    def _link_to(self, request_id: int, kind: str, target_id: int, message: str) -> None:
        keyword = {"client": "client_id", "lead": "lead_id", "deal": "deal_id"}[kind]
        self._run(
            lambda db, actor: inbound.link(db, actor, request_id, **{keyword: target_id}),
            message,
        )

    def undo(self) -> None:
        if self.view is None:
            return
        request_id = self.view.id
        self._run(
            lambda db, actor: inbound.undo(db, actor, request_id),
            self.tr("The request is open again"),
        )
