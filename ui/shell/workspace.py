"""The central area: the current section in the first tab, opened cards
(client, lead, contact, deal) in closable tabs after it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QStackedWidget, QTabBar, QTabWidget, QWidget

from ui.context import UiContext

CardKey = tuple[str, int]


class Workspace(QTabWidget):
    card_opened = Signal(str, object)  # kind, id
    changed = Signal()  # a card wrote something
    record_action = Signal(str, object, str)  # kind, id, action asked on a card
    inbound_activated = Signal(str, object)  # "request" | "ticket", id, from a card's tab

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("workspace")
        self.setDocumentMode(True)
        self.setTabsClosable(True)
        self.setMovable(True)
        self.setElideMode(Qt.TextElideMode.ElideRight)
        self.sections = QStackedWidget()
        self.addTab(self.sections, "")
        self._unclosable(0)
        self.tabCloseRequested.connect(self.close_tab)
        self._cards: dict[CardKey, QWidget] = {}

    def _unclosable(self, index: int) -> None:
        for side in (QTabBar.ButtonPosition.RightSide, QTabBar.ButtonPosition.LeftSide):
            button = self.tabBar().tabButton(index, side)
            if button is not None:
                button.resize(0, 0)
                button.hide()

    def set_section_title(self, title: str) -> None:
        self.setTabText(self.indexOf(self.sections), title)

    def show_sections(self) -> None:
        self.setCurrentWidget(self.sections)

    def open_card(self, kind: str, object_id: int, title: str | None = None) -> QWidget:
        """Open the card of an object, or bring its tab forward when open."""
        key = (kind, int(object_id))
        widget: QWidget | None = self._cards.get(key)
        if widget is None:
            # The card's modules (the compose dialog, templates, AI) load with
            # the first card, or when the window preloads them after starting.
            from ui.cards import CardWidget

            widget = CardWidget(self._ctx, kind, int(object_id))
            widget.setProperty("card_kind", kind)
            widget.setProperty("card_id", int(object_id))
            self._cards[key] = widget
            index = self.addTab(widget, title or "…")
            self.setTabToolTip(index, title or "")
            self._connect(widget)
            data = getattr(widget, "data", None)
            if data is not None:  # read before its title_changed was connected
                self._retitle(widget, data.title)
            self.card_opened.emit(kind, int(object_id))
        self.setCurrentWidget(widget)
        return widget

    def _connect(self, card: QWidget) -> None:
        """Follow what the card asks for: its title, other cards, changes."""
        signals: dict[str, Callable[..., object]] = {
            "title_changed": lambda text, w=card: self._retitle(w, text),
            "deal_activated": lambda deal_id: self.open_card("deal", deal_id),
            "contact_activated": lambda contact_id: self.open_card("contact", contact_id),
            "party_activated": lambda kind, party_id: self.open_card(kind, party_id),
            "changed": self.changed.emit,
            "record_action": self.record_action.emit,
            "inbound_activated": self.inbound_activated.emit,
        }
        for name, slot in signals.items():
            signal = getattr(card, name, None)
            if signal is not None:
                signal.connect(slot)

    def _retitle(self, widget: QWidget, text: str) -> None:
        index = self.indexOf(widget)
        if index >= 0:
            self.setTabText(index, text)
            self.setTabToolTip(index, text)

    def current_card(self) -> CardKey | None:
        widget = self.currentWidget()
        for key, card in self._cards.items():
            if card is widget:
                return key
        return None

    def open_cards(self) -> list[CardKey]:
        return list(self._cards)

    def close_tab(self, index: int) -> None:
        widget = self.widget(index)
        if widget is None or widget is self.sections:
            return
        for key, card in list(self._cards.items()):
            if card is widget:
                del self._cards[key]
        self.removeTab(index)
        widget.deleteLater()

    def close_current(self) -> None:
        self.close_tab(self.currentIndex())
