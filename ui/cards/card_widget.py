"""The card of a client, lead, contact person or deal (SPEC B1-B9).

Header (who, whose, local time, click-to-call and click-to-write), tabs
(feed, deals, contacts, attachments, change history) and a side column
(quick note or task, the memo, indicators). Ctrl+N logs an interaction for
this card; Delete in the feed cancels the selected one, with Undo.

The card wires its parts and reloads them: the tabs are ``card_tabs``, the
side column ``card_side``, calling and writing to the person
``card_outreach``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QProcess, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from services.core.changes import Changes
from services.core.errors import UserError
from services.feed import card as card_model
from services.feed.card import CardData
from ui.cards import card_outreach, indicators
from ui.cards.card_side import CardSide, rule
from ui.cards.card_tabs import CardTabs
from ui.cards.conflict_banner import ConflictBanner
from ui.cards.header import CardHeader
from ui.context import UiContext
from ui.dialogs.interaction_dialog import InteractionDialog
from ui.feed.feed_view import FeedView
from ui.shell import error_text
from ui.widgets import claimed_keys, find_key, labels
from ui.widgets.empty_state import EmptyHint
from ui.widgets.work import Work

NEW_INTERACTION = QKeySequence("Ctrl+N")
SIDE_WIDTH = 330


class CardWidget(QWidget):
    title_changed = Signal(str)
    item_activated = Signal(str, object)  # feed items the card does not open itself
    deal_activated = Signal(object)
    contact_activated = Signal(object)
    party_activated = Signal(str, object)  # the client or lead of a contact or deal
    changed = Signal()  # the card wrote something
    record_action = Signal(str, object, str)  # kind, id, action (see CardHeader.action_chosen)
    inbound_activated = Signal(str, object)  # "request" | "ticket", id: open it in Inbound

    def __init__(
        self,
        ctx: UiContext,
        kind: str,
        object_id: int,
        parent: Any = None,
        *,
        settings: QSettings | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        if kind not in card_model.KINDS:
            raise ValueError(f"no card for {kind!r}")
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.kind = kind
        self.object_id = object_id
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.data: CardData | None = None
        self.dialog: Any = None
        # Hand-offs to the desktop; tests replace them.
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
        self.start_detached: Callable[[str, list[str]], Any] = QProcess.startDetached
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.header = CardHeader(clock=self.clock)
        self.header.new_clicked.connect(self.new_interaction)
        # Ctrl+N is the window's too: while the focus is in the card, the card's
        claimed_keys.claim(self, NEW_INTERACTION, self.new_interaction)
        self.header.phone_clicked.connect(self.call)
        self.header.email_clicked.connect(self.write_to)
        self.header.party_clicked.connect(self.party_activated)
        self.header.add_point_clicked.connect(self.add_point)
        self.header.action_chosen.connect(
            lambda action: self.record_action.emit(self.kind, self.object_id, action)
        )

        self.tabs = CardTabs(ctx, kind, object_id)
        self.tabs.feed.item_activated.connect(self._on_feed_item_activated)
        self.tabs.feed.new_requested.connect(self.new_interaction)
        self.tabs.feed.changed.connect(self._on_feed_changed)
        self.tabs.deals_tab.deal_activated.connect(self.deal_activated)
        self.tabs.contacts_tab.contact_activated.connect(self.contact_activated)
        self.tabs.deals_tab.add_requested.connect(lambda: self._new_child("new_deal"))
        self.tabs.contacts_tab.add_requested.connect(lambda: self._new_child("new_contact"))
        if kind in ("client", "lead"):
            self.tabs.requests_tab.activated.connect(self.inbound_activated)
            self.tabs.tickets_tab.activated.connect(self.inbound_activated)
            self.requests_tab, self.tickets_tab = self.tabs.requests_tab, self.tabs.tickets_tab
        # The parts by the card's own names, as the workspace and tests reach them.
        self.feed, self.deals_tab = self.tabs.feed, self.tabs.deals_tab
        self.contacts_tab, self.attachments_tab = self.tabs.contacts_tab, self.tabs.attachments_tab
        find_key.bind(
            self, self.feed.filter_bar.search, lambda: self.tabs.setCurrentWidget(self.feed)
        )
        self.history_box = self.tabs.history_box
        feed_page = QWidget()
        feed_col = QVBoxLayout(feed_page)
        feed_col.setContentsMargins(12, 6, 6, 8)
        feed_col.addWidget(self.tabs)

        side = CardSide(ctx, kind, settings)
        side.quick.added.connect(self._on_quick_added)
        side.runs.changed.connect(self._after_change)
        side.indicators.clock = self.clock
        self.quick, self.fields, self.memo = side.quick, side.fields, side.memo
        self.runs, self.indicators = side.runs, side.indicators

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(feed_page)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([900, SIDE_WIDTH])

        body = QWidget()
        body_col = QVBoxLayout(body)
        body_col.setContentsMargins(0, 0, 0, 0)
        body_col.setSpacing(0)
        body_col.addWidget(self.header)
        self.conflicts = ConflictBanner(ctx, kind, object_id)  # a replica's sync conflicts
        body_col.addWidget(self.conflicts)
        body_col.addWidget(rule())
        body_col.addWidget(self.splitter, 1)
        self.failure = EmptyHint(self.tr("This card cannot be opened"), "", self.tr("Try again"))
        self.failure.action_clicked.connect(self.refresh)
        self.stack = QStackedWidget()
        self.stack.addWidget(body)
        self.stack.addWidget(self.failure)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.stack)
        ctx.bus.changed.connect(self._on_bus_changed)
        self.refresh()

    @property
    def history(self) -> FeedView | None:
        """The change history's feed, built when its tab is first opened."""
        return self.tabs.history

    def _new_child(self, action: str) -> None:
        """A tab's "+": a new deal or contact person of this card's client or
        lead (a contact's card: of its client or lead), by the record dialogs."""
        party = self.data.party if self.data is not None else None
        if self.kind in ("client", "lead"):
            self.record_action.emit(self.kind, self.object_id, action)
        elif party is not None:
            self.record_action.emit(party.kind, party.id, action)

    # --- loading --------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the card again (header, tabs, memo, indicators)."""
        kind, object_id, now = self.kind, self.object_id, self.clock()
        self._work.read(
            lambda uow, actor: card_model.card(uow, actor, kind, object_id, now),
            self._on_loaded,
            self._on_load_failed,
        )
        self.attachments_tab.refresh()
        self.reload_indicators()

    def reload_indicators(self) -> None:
        if self.kind == "deal":  # indicators describe a client, lead or contact
            self.indicators.hide()
            return
        kind, object_id, now = self.kind, self.object_id, self.clock()
        self._work.read(
            lambda uow, actor: indicators.load(uow, actor, kind, object_id, now),
            self._on_indicators_loaded,
            self._on_indicators_failed,
        )

    def _on_loaded(self, data: CardData) -> None:
        self.data = data
        labels.remember_fields(
            {f"{f.entity_kind}.custom.{f.code}": (f.label, f.label_ru) for f in data.fields}
        )
        self.stack.setCurrentIndex(0)
        self.header.set_data(data)
        self.tabs.set_data(data)
        self.quick.set_target(self.kind, self.object_id, data.users, data.zone or data.display_zone)
        self.memo.set_memo(self.kind, self.object_id, data.memo)
        if self.kind != "deal":
            self.fields.set_data(self.kind, self.object_id, data)
        if self.kind in ("client", "contact"):
            client_id = data.party_ids()["client_id"]
            self.runs.set_target(client_id, self.object_id if self.kind == "contact" else None)
        if self.indicators.values is not None:
            self.indicators.set_values(self.indicators.values, data.display_zone)
        names = {u.id: u.full_name or u.login for u in data.users}
        if data.party is not None:
            names.setdefault(data.party.owner_id, data.party.owner_name)
        for view in self.tabs.feeds():
            view.model.set_owner_names(names | view.model.owner_names)
        self.title_changed.emit(data.title)

    def _on_load_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            self._ctx.report_error(exc)
        self.failure.set_text(
            self.tr("This card cannot be opened"),
            error_text.message(exc) if isinstance(exc, UserError) else "",
            self.tr("Try again"),
        )
        self.stack.setCurrentWidget(self.failure)

    def _on_indicators_loaded(self, values: indicators.IndicatorValues | None) -> None:
        zone = self.data.display_zone if self.data is not None else None
        self.indicators.set_values(values, zone)

    def _on_indicators_failed(self, exc: BaseException) -> None:
        self.indicators.set_values(None, None)
        if not isinstance(exc, UserError):
            self._ctx.report_error(exc)

    # --- actions --------------------------------------------------------------------

    def new_interaction(self) -> InteractionDialog:
        """The interaction dialog for this card (Ctrl+N)."""
        ids: dict[str, Any] = {f"{self.kind}_id": self.object_id}
        dialog = InteractionDialog(self._ctx, parent=self, **ids)
        self._open_dialog(dialog)
        return dialog

    def open_interaction(self, interaction_id: int) -> None:
        """A letter opens to be read (safely); anything else opens to edit
        (which it is, is read on the read lane)."""
        from services.mail import messages

        self._work.read(
            lambda uow, _actor: messages.message_of(uow, interaction_id) is not None,
            lambda letter: self._open_interaction(interaction_id, letter),
        )

    def _open_interaction(self, interaction_id: int, letter: bool) -> Any:
        if letter:
            from ui.mail.message_dialog import MessageDialog

            reader = MessageDialog(self._ctx, interaction_id, parent=self)
            reader.edit_requested.connect(self._on_reader_edit_requested)
            reader.reply_requested.connect(self._on_reader_reply_requested)
            reader.finished.connect(reader.deleteLater)
            reader.open()
            self.reader = reader
            return reader
        return self.edit_interaction(interaction_id)

    def edit_interaction(self, interaction_id: int) -> InteractionDialog:
        dialog = InteractionDialog(self._ctx, interaction_id=interaction_id, parent=self)
        self._open_dialog(dialog)
        return dialog

    def _on_reader_edit_requested(self, interaction_id: object) -> None:
        if isinstance(interaction_id, int):
            self.reader.close()
            self.edit_interaction(interaction_id)

    def _open_dialog(self, dialog: InteractionDialog) -> None:
        dialog.saved.connect(self._on_dialog_saved)
        self._show(dialog)

    def _show(self, dialog: Any) -> None:
        """Open a dialog of this card, kept as ``dialog`` while it is open."""
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def call(self, number: str) -> None:
        """Hand the number to the softphone command, or to the tel: handler."""
        command = self.data.softphone if self.data is not None else ""
        if command and self._dial(command, number):
            return
        if self.open_url(QUrl(f"tel:{number}")) is False:
            # nothing opens tel: here: say so and offer the softphone command
            from ui.cards.softphone_dialog import SoftphoneDialog

            dialog = SoftphoneDialog(self._ctx, number, self)
            dialog.saved.connect(lambda saved: self._dial(saved, number))
            self._show(dialog)

    def _dial(self, command: str, number: str) -> bool:
        parts = card_outreach.dial_parts(command, number)
        if parts:
            self.start_detached(parts[0], parts[1:])
        return bool(parts)

    def add_point(self) -> Any:
        """Add a phone or email to this card; then link its history."""
        from ui.cards.point_dialog import PointDialog

        dialog = PointDialog(self._ctx, self.kind, self.object_id, self)
        dialog.saved.connect(self._on_point_saved)
        self._show(dialog)
        return dialog

    def _on_point_saved(self, _point: Any) -> None:
        # the use case linked the earlier letters and calls; the bus
        # reloaded this card and every other one they went to
        self.changed.emit()

    def _on_reader_reply_requested(self, draft: Any) -> None:
        self.write_to(draft.to, subject=draft.subject, body=draft.body)

    def write_to(self, address: str, *, subject: str = "", body: str = "") -> None:
        """Compose in Touchpoint when the user has a mailbox, else mailto:."""
        data = self.data
        if data is None or not data.accounts:
            self.open_url(card_outreach.mailto_url(address, subject, body))
            return
        dialog = card_outreach.compose_dialog(
            self._ctx, data, address, subject=subject, body=body, parent=self
        )
        dialog.queued.connect(lambda _v: self._after_change())
        self._show(dialog)

    def _after_change(self) -> None:
        for view in self.tabs.feeds():
            view.refresh()
        self.reload_indicators()
        self.changed.emit()

    # --- slots ----------------------------------------------------------------------

    def _on_bus_changed(self, changes: Changes) -> None:
        """Whoever changed this card's client, contacts, deals or feed (the
        user, mail sync, the outbox, the linking job): read it again."""
        if self.shows(changes):
            self.refresh()
            for view in self.tabs.feeds():
                view.refresh()
        elif changes.touches("user") or changes.touches("mail_account"):
            self.refresh()  # owner names, the mailboxes to write from

    def shows(self, changes: Changes) -> bool:
        """Whether ``changes`` touch anything this card shows."""
        keys = set(changes.cards)
        for group in (changes.created, changes.updated, changes.removed):
            for kind in card_model.KINDS:
                keys.update((kind, i) for i in group.get(kind, ()))
        if self.attachments_tab.shows_any(changes.removed.get("attachment", frozenset())):
            return True  # a colleague's removal: the row is gone, its card unknown
        data = self.data
        if data is None:
            return (self.kind, self.object_id) in keys
        return any(data.shows(kind, object_id) for kind, object_id in keys)

    def _on_dialog_saved(self, _view: Any) -> None:
        self._after_change()

    def _on_feed_changed(self) -> None:
        self.reload_indicators()
        self.changed.emit()

    def _on_quick_added(self, _what: str) -> None:
        self._after_change()

    def _on_feed_item_activated(self, kind: str, object_id: int) -> None:
        if kind == "interaction":
            self.open_interaction(object_id)
        else:
            self.item_activated.emit(kind, object_id)
