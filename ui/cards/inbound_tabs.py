"""The "Inbound requests" and "Tickets" tabs of a client's or lead's card.
Each reads its list the first time it is shown and again when a request or
ticket of the card changes; activating a row opens it in the Inbound section."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTreeWidgetItem

from services.core.changes import Changes
from services.inbound import queries
from services.inbound.views import RequestView, TicketView
from ui.cards.tabs import ListTab
from ui.context import UiContext
from ui.inbound import texts
from ui.inbound.request_model import sender_text
from ui.shell import formatting
from ui.widgets.empty_state import EmptyHint
from ui.widgets.work import Work

LIMIT = 200


class _CardInboundTab(ListTab):
    activated = Signal(str, object)  # "request" | "ticket", id
    loaded = Signal(int)  # rows

    def __init__(
        self, ctx: UiContext, kind: str, party_id: int, headers: list[str], empty: EmptyHint
    ) -> None:
        super().__init__(headers, empty)
        self._work = Work(ctx, self)
        self.kind, self.party_id = kind, party_id
        self.stale = True
        self.tree.itemActivated.connect(self._on_item_activated)
        ctx.bus.changed.connect(self._on_bus_changed)

    def party(self) -> tuple[int | None, int | None]:
        """(client_id, lead_id) of the card."""
        if self.kind == "client":
            return self.party_id, None
        return None, self.party_id

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        self.stale = False
        self.load()

    def load(self) -> None:
        raise NotImplementedError

    def _on_bus_changed(self, changes: Changes) -> None:
        if changes.touches("inbound_request") or changes.touches("ticket"):
            self.stale = True
            if self.isVisible():
                self.refresh()

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        what, ident = item.data(0, Qt.ItemDataRole.UserRole)
        self.activated.emit(what, ident)


class RequestsTab(_CardInboundTab):
    def __init__(self, ctx: UiContext, kind: str, party_id: int) -> None:
        super().__init__(
            ctx,
            kind,
            party_id,
            [self.tr("Request"), self.tr("From"), self.tr("Received"), self.tr("State")],
            EmptyHint(
                self.tr("No inbound requests"),
                self.tr("Requests from this client's addresses and numbers appear here."),
            ),
        )

    def load(self) -> None:
        client_id, lead_id = self.party()
        self._work.read(
            lambda uow, actor: queries.list_requests(
                uow, actor, client_id=client_id, lead_id=lead_id, limit=LIMIT
            ),
            self.set_requests,
        )

    def set_requests(self, found: list[RequestView]) -> None:
        self.tree.clear()
        for view in found:
            subject = view.subject or " ".join(view.body.split())[:120] or "—"
            item = QTreeWidgetItem(
                [
                    subject,
                    sender_text(view),
                    formatting.date_time(view.received_at),
                    texts.state_label(view.state),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, ("request", view.id))
            self.tree.addTopLevelItem(item)
        self._show(bool(found))
        self.loaded.emit(len(found))


class TicketsTab(_CardInboundTab):
    def __init__(self, ctx: UiContext, kind: str, party_id: int) -> None:
        super().__init__(
            ctx,
            kind,
            party_id,
            [self.tr("Ticket"), self.tr("Subject"), self.tr("State"), self.tr("Owner")],
            EmptyHint(
                self.tr("No support tickets"),
                self.tr("Support tickets opened from this client's requests appear here."),
            ),
        )

    def load(self) -> None:
        client_id, lead_id = self.party()
        self._work.read(
            lambda uow, actor: queries.list_tickets(
                uow, actor, client_id=client_id, lead_id=lead_id, limit=LIMIT
            ),
            self.set_tickets,
        )

    def set_tickets(self, found: list[TicketView]) -> None:
        self.tree.clear()
        for ticket in found:
            item = QTreeWidgetItem(
                [
                    f"#{ticket.number}",
                    ticket.subject,
                    texts.ticket_state_label(ticket.state),
                    ticket.owner or "—",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, ("ticket", ticket.id))
            self.tree.addTopLevelItem(item)
        self._show(bool(found))
        self.loaded.emit(len(found))
