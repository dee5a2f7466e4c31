"""Requests of one state, newest first, a keyset page at a time: an info@
mailbox can hold years of requests, so rows arrive on scroll (fetchMore),
keyed by the last row's (received time, id), never OFFSET."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from services.inbound import queries
from services.inbound.views import RequestView
from ui.context import UiContext
from ui.inbound import texts
from ui.shell import formatting
from ui.widgets.keyset_model import Index, KeysetTableModel, PageReader, italic_font
from ui.widgets.plain import tooltip

PAGE = 100


def sender_text(view: RequestView) -> str:
    parts = [view.sender_name]
    contact = view.sender_email or view.sender_phone or view.sender_handle
    if view.sender_handle and not view.sender_email and not view.sender_phone:
        contact = "@" + view.sender_handle
    if contact and contact not in parts:
        parts.append(f"<{contact}>" if view.sender_name else contact)
    return " ".join(p for p in parts if p) or "—"


def source_text(view: RequestView) -> str:
    """ "Telegram · Бот «Северторг»", with the mark of an automatic reply."""
    source = f"{texts.channel_label(view.channel)} · {view.source}"
    return f"{source} · {texts.mark_label(view.mark)}" if view.mark else source


class RequestModel(KeysetTableModel[RequestView]):
    RequestRole = Qt.ItemDataRole.UserRole + 1
    RECEIVED, SENDER, SUBJECT, SOURCE, OWNER = range(5)
    COLUMNS = 5

    def __init__(self, ctx: UiContext, parent: Any = None, *, page_size: int = PAGE) -> None:
        super().__init__(ctx, parent, page_size=page_size)
        self.state: str | None = "new"
        self.client_id: int | None = None
        self.lead_id: int | None = None
        self.show_marked = False

    def page_after(self, last: RequestView | None, limit: int) -> PageReader[RequestView]:
        """Keyed by the last row's (received time, id), with the filters as
        they are when the page is asked for."""
        before = (last.received_at, last.id) if last is not None else None
        state, client_id, lead_id = self.state, self.client_id, self.lead_id
        marked = None if self.show_marked else False

        def page(uow: Any, actor: Any) -> list[RequestView]:
            return queries.list_requests(
                uow,
                actor,
                state=state,
                client_id=client_id,
                lead_id=lead_id,
                marked=marked,
                before=before,
                limit=limit,
            )

        return page

    def ids(self) -> list[int]:
        return [view.id for view in self._rows]

    # --- Qt -------------------------------------------------------------------------

    def header(self, section: int) -> str | None:
        return {
            self.RECEIVED: self.tr("Received"),
            self.SENDER: self.tr("From"),
            self.SUBJECT: self.tr("Subject"),
            self.SOURCE: self.tr("Source"),
            self.OWNER: self.tr("Owner"),
        }.get(section)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        view = self.row_at(index.row()) if index.isValid() else None
        if view is None:
            return None
        column = index.column()
        if role == self.RequestRole:
            return view
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(view, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.SUBJECT:
                return tooltip(view.subject or view.body[:300])
            if column == self.SENDER:
                return tooltip(sender_text(view))
            if column == self.SOURCE:
                return tooltip(source_text(view))
            if column == self.OWNER:
                return tooltip(self._display(view, column))
            return None
        if role == Qt.ItemDataRole.FontRole and (
            view.mark or (column == self.SUBJECT and not view.subject)
        ):
            return italic_font()
        return None

    def _display(self, view: RequestView, column: int) -> str | None:
        if column == self.RECEIVED:
            return formatting.date_time(view.received_at)
        if column == self.SENDER:
            # the name, when there is one: the address is in the tooltip and the card
            return view.sender_name or sender_text(view)
        if column == self.SUBJECT:
            text = view.subject or " ".join(view.body.split())[:200]
            return text or self.tr("(no text)")
        if column == self.SOURCE:
            # the source's name (its channel is in the tooltip and the card)
            return f"{view.source} · {texts.mark_label(view.mark)}" if view.mark else view.source
        if column == self.OWNER:
            if view.owner:
                return view.owner
            if view.role:
                return self.tr("Role: %1").replace("%1", texts.role_label(view.role))
            return "—"
        return None
