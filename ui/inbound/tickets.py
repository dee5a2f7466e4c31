"""Support tickets (обращения в поддержку): a list by state and a ticket's
card with its state, owner, card and its feed (the requests it came from
and what happened to it). Small lists: a ticket is closed within days."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.core.changes import Changes
from services.inbound import queries
from services.inbound import use_cases as inbound
from services.inbound.views import RequestView, TicketView
from ui.context import UiContext
from ui.inbound import texts
from ui.inbound.request_model import sender_text
from ui.shell import error_text, formatting
from ui.widgets.empty_state import EmptyHint, hint_or_page
from ui.widgets.plain import plain_label
from ui.widgets.work import Work

LIMIT = 500
TICKET_STATES = ("open", "in_progress", "closed")


def ticket_title(ticket: TicketView) -> str:
    return f"#{ticket.number} {ticket.subject}"


class TicketCard(QWidget):
    open_requested = Signal(str, object)  # kind, id
    request_requested = Signal(object)  # request id

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._work = Work(ctx, self)
        self.ticket: TicketView | None = None
        self.title = plain_label()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.state = QComboBox()
        for state in TICKET_STATES:
            self.state.addItem(texts.ticket_state_label(state), state)
        self.state.activated.connect(self._on_state_activated)
        self.owner = plain_label()
        self.opened = plain_label()
        self.open_card = QPushButton(self.tr("Open card"))
        self.open_card.clicked.connect(self._on_open_card_clicked)
        form = QFormLayout()
        form.addRow(self.tr("State"), self.state)
        form.addRow(self.tr("Owner"), self.owner)
        form.addRow(self.tr("Opened"), self.opened)
        self.body = QPlainTextEdit()
        self.body.setReadOnly(True)
        self.body.setMaximumHeight(160)
        self.feed = QListWidget()
        self.feed.setWordWrap(True)
        self.feed.itemActivated.connect(self._on_feed_item_activated)
        links = QHBoxLayout()
        links.addWidget(self.open_card)
        links.addStretch(1)
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(12, 8, 12, 8)
        column.addWidget(self.title)
        column.addLayout(form)
        column.addLayout(links)
        column.addWidget(self.body)
        column.addWidget(plain_label(self.tr("Feed")))
        column.addWidget(self.feed, 1)
        self.empty = EmptyHint(
            self.tr("No ticket selected"), self.tr("Choose a ticket in the list to see it here.")
        )
        self.stack = hint_or_page(self, self.empty, page)

    def show_ticket(self, ticket_id: int | None) -> None:
        if ticket_id is None:
            self.ticket = None
            self.stack.setCurrentWidget(self.empty)
            return

        def load(uow: Any, actor: Any) -> tuple[TicketView, RequestView | None]:
            ticket = queries.get_ticket(uow, actor, ticket_id)
            request = None
            if ticket.request_id is not None:
                request = queries.get_request(uow, actor, ticket.request_id)
            return ticket, request

        self._work.read(load, self._on_loaded, self._on_failed)

    def _on_loaded(self, loaded: tuple[TicketView, RequestView | None]) -> None:
        ticket, request = loaded
        self.ticket = ticket
        self.stack.setCurrentIndex(1)
        self.title.setText(ticket_title(ticket))
        self.state.setCurrentIndex(max(0, self.state.findData(ticket.state)))
        self.owner.setText(ticket.owner or "—")
        self.opened.setText(formatting.date_time(ticket.created_at) or "—")
        self.open_card.setVisible(ticket.client_id is not None or ticket.lead_id is not None)
        self.body.setPlainText(ticket.body)
        self.feed.clear()
        if request is not None:
            item = QListWidgetItem(
                self.tr("%1 · request from %2: %3")
                .replace("%1", formatting.date_time(request.received_at))
                .replace("%2", sender_text(request))
                .replace("%3", request.subject or request.body[:200])
            )
            item.setData(Qt.ItemDataRole.UserRole, request.id)
            self.feed.addItem(item)
        self.feed.addItem(
            self.tr("%1 · ticket opened").replace("%1", formatting.date_time(ticket.created_at))
        )
        if ticket.closed_at is not None:
            self.feed.addItem(
                self.tr("%1 · ticket closed").replace("%1", formatting.date_time(ticket.closed_at))
            )

    def _on_failed(self, exc: BaseException) -> None:
        self.ticket = None
        self.empty.set_text(self.tr("This ticket cannot be shown"), error_text.message(exc))
        self.stack.setCurrentWidget(self.empty)

    def _on_state_activated(self, index: int) -> None:
        ticket = self.ticket
        state = self.state.itemData(index)
        if ticket is None or state == ticket.state:
            return
        self._work.run(
            lambda db, actor: inbound.set_ticket_state(db, actor, ticket.id, state),
            lambda view: self.show_ticket(view.id),
            self._on_state_failed,
        )

    def _on_state_failed(self, exc: BaseException) -> None:
        if self.ticket is not None:
            self.state.setCurrentIndex(max(0, self.state.findData(self.ticket.state)))
        self._work.ctx.report_error(exc)

    def _on_open_card_clicked(self) -> None:
        ticket = self.ticket
        if ticket is not None and ticket.client_id is not None:
            self.open_requested.emit("client", ticket.client_id)
        elif ticket is not None and ticket.lead_id is not None:
            self.open_requested.emit("lead", ticket.lead_id)

    def _on_feed_item_activated(self, item: QListWidgetItem) -> None:
        request_id = item.data(Qt.ItemDataRole.UserRole)
        if request_id is not None:
            self.request_requested.emit(int(request_id))


class TicketsPanel(QWidget):
    """The list of tickets on the left, the chosen ticket on the right."""

    open_requested = Signal(str, object)
    request_requested = Signal(object)

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._work = Work(ctx, self)
        self.tickets: list[TicketView] = []
        self.filter = QComboBox()
        self.filter.addItem(self.tr("Not closed"), "active")
        for state in TICKET_STATES:
            self.filter.addItem(texts.ticket_state_label(state), state)
        self.filter.addItem(self.tr("All"), None)
        self.filter.currentIndexChanged.connect(lambda _index: self.refresh())
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [self.tr("Ticket"), self.tr("Subject"), self.tr("State"), self.tr("Owner")]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (0, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)
        self.empty = EmptyHint(
            self.tr("No support tickets"),
            self.tr("A rule that opens support tickets puts them here."),
        )
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.tree)
        self.list_stack.addWidget(self.empty)
        left = QWidget()
        left_col = QVBoxLayout(left)
        left_col.setContentsMargins(0, 0, 0, 0)
        left_col.addWidget(self.filter)
        left_col.addWidget(self.list_stack, 1)
        self.card = TicketCard(ctx)
        self.card.open_requested.connect(self.open_requested)
        self.card.request_requested.connect(self.request_requested)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.card)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(splitter)
        ctx.bus.changed.connect(self._on_bus_changed)

    def refresh(self) -> None:
        wanted = self.filter.currentData()

        def load(uow: Any, actor: Any) -> list[TicketView]:
            if wanted == "active":
                found = queries.list_tickets(uow, actor, limit=LIMIT)
                return [t for t in found if t.state != "closed"]
            return queries.list_tickets(uow, actor, state=wanted, limit=LIMIT)

        self._work.read(load, self._on_loaded)

    def _on_loaded(self, tickets: list[TicketView]) -> None:
        chosen = self.card.ticket.id if self.card.ticket is not None else None
        self.tickets = tickets
        self.tree.clear()
        for ticket in tickets:
            item = QTreeWidgetItem(
                [
                    f"#{ticket.number}",
                    ticket.subject,
                    texts.ticket_state_label(ticket.state),
                    ticket.owner or "—",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, ticket.id)
            self.tree.addTopLevelItem(item)
            if ticket.id == chosen:
                self.tree.setCurrentItem(item)
        self.list_stack.setCurrentWidget(self.tree if tickets else self.empty)

    def select(self, ticket_id: int) -> None:
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == ticket_id:
                self.tree.setCurrentItem(item)
                return
        self.card.show_ticket(ticket_id)

    def _on_tree_current_item_changed(self, item: QTreeWidgetItem | None, _previous: Any) -> None:
        if item is not None:
            self.card.show_ticket(int(item.data(0, Qt.ItemDataRole.UserRole)))

    def _on_bus_changed(self, changes: Changes) -> None:
        if (changes.touches("ticket") or changes.touches("inbound_request")) and self.isVisible():
            self.refresh()
            if self.card.ticket is not None:
                self.card.show_ticket(self.card.ticket.id)
