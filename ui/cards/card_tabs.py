"""The tabs of a card: feed, deals, contacts, inbound requests and tickets,
attachments and the change history.

Apart from the card so that which tabs a kind of card has, their counts in
the titles and the history feed built only when first opened live in one
place; the card wires their signals and reloads them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from services.feed.card import CardData
from services.feed.pages import FeedFilter, FeedScope
from ui.cards.attachments_tab import AttachmentsTab
from ui.cards.inbound_tabs import RequestsTab, TicketsTab
from ui.cards.tabs import ContactsTab, DealsTab
from ui.context import UiContext
from ui.feed.feed_view import FeedView


def scope_of(kind: str, object_id: int) -> FeedScope:
    """The feed scope of a card of ``kind``."""
    return FeedScope(
        client_id=object_id if kind == "client" else None,
        lead_id=object_id if kind == "lead" else None,
        contact_id=object_id if kind == "contact" else None,
        deal_id=object_id if kind == "deal" else None,
    )


class CardTabs(QTabWidget):
    def __init__(self, ctx: UiContext, kind: str, object_id: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._scope = scope_of(kind, object_id)
        self.setDocumentMode(True)
        # seven Russian tab names asked for ~760 px, so a card at 1366x768
        # was wider than the screen: the bar scrolls with arrows instead
        self.setUsesScrollButtons(True)
        self.feed = FeedView(ctx, self._scope)
        self.deals_tab = DealsTab()
        self.contacts_tab = ContactsTab()
        self.attachments_tab = AttachmentsTab(ctx, kind, object_id)
        self.history: FeedView | None = None
        self.history_box = QWidget()
        QVBoxLayout(self.history_box).setContentsMargins(0, 0, 0, 0)
        self.addTab(self.feed, self.tr("Feed"))
        if kind != "deal":
            self.addTab(self.deals_tab, self.tr("Deals"))
        if kind != "contact":
            self.addTab(self.contacts_tab, self.tr("Contacts"))
        if kind in ("client", "lead"):
            self.requests_tab = RequestsTab(ctx, kind, object_id)
            self.tickets_tab = TicketsTab(ctx, kind, object_id)
            self.addTab(self.requests_tab, self.tr("Inbound requests"))
            self.addTab(self.tickets_tab, self.tr("Tickets"))
        self.addTab(self.attachments_tab, self.tr("Attachments"))
        self.addTab(self.history_box, self.tr("History"))
        self.currentChanged.connect(self._on_current_changed)

    def feeds(self) -> list[FeedView]:
        """The feed and, once opened, the history."""
        return [self.feed] if self.history is None else [self.feed, self.history]

    def set_data(self, data: CardData) -> None:
        self.deals_tab.set_deals(data.deals)
        self.attachments_tab.zone = data.display_zone
        self.contacts_tab.set_contacts(data.contacts)
        self._retitle(data)

    def _retitle(self, data: CardData) -> None:
        index = self.indexOf(self.deals_tab)
        if index >= 0:
            count = len(data.deals) if data.deals is not None else 0
            self.setTabText(
                index,
                self.tr("Deals (%1)").replace("%1", str(count)) if count else self.tr("Deals"),
            )
        index = self.indexOf(self.contacts_tab)
        if index >= 0:
            count = len(data.contacts)
            self.setTabText(
                index,
                self.tr("Contacts (%1)").replace("%1", str(count))
                if count
                else self.tr("Contacts"),
            )

    def _on_current_changed(self, index: int) -> None:
        if self.widget(index) is self.attachments_tab:
            self.attachments_tab.show_files()
        if self.widget(index) is self.history_box and self.history is None:
            self.history = FeedView(
                self._ctx,
                self._scope,
                history_only=True,
                show_filters=False,
                fixed_filter=FeedFilter(types=("change",)),
            )
            self.history.set_empty_text(
                self.tr("No changes recorded yet"),
                self.tr("Who changed which field and when shows here."),
            )
            layout = self.history_box.layout()
            assert layout is not None
            layout.addWidget(self.history)
