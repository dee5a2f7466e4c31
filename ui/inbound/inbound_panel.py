"""The Inbound section (SPEC G5): requests by state with their counters, the
selected request's card, and the support tickets. Counts go to the
navigation; every change arrives on the change bus (a poll that stored
requests, a colleague who took one, a rule that opened a ticket)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from services.core.changes import Changes
from services.inbound import queries
from ui.context import UiContext
from ui.inbound import texts
from ui.inbound.request_card import RequestCard
from ui.inbound.request_model import RequestModel
from ui.inbound.tickets import TicketsPanel
from ui.shell.icons import icon
from ui.widgets import button_keys
from ui.widgets.empty_state import EmptyHint
from ui.widgets.row_table import date_time_width, row_table
from ui.widgets.undo_bar import UndoBar
from ui.widgets.work import Work

TICKETS = "tickets"
CARD_WIDTH = 440  # the request card's buttons in Russian, two to a row
WATCHED = ("inbound_request", "ticket", "inbound_source", "inbound_rule", "user")


class InboundPanel(QWidget):
    open_requested = Signal(str, object)  # kind, id: a client, lead or deal card
    counts_changed = Signal(object)  # {state: count}

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.counts: dict[str, int] = {}

        self.tabs = QTabBar()
        self.tabs.setDocumentMode(True)
        self.tabs.setExpanding(False)
        for state in texts.STATES:
            index = self.tabs.addTab(texts.state_tab(state))
            self.tabs.setTabData(index, state)
        index = self.tabs.addTab(self.tr("Support tickets"))
        self.tabs.setTabData(index, TICKETS)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.marked = QCheckBox(self.tr("Show automatic replies and mailing lists"))
        self.marked.toggled.connect(self._on_marked_toggled)
        self.refresh_button = QPushButton(icon("sync"), self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.tabs)
        top.addStretch(1)
        top.addWidget(self.marked)
        top.addWidget(self.refresh_button)

        self.model = RequestModel(ctx, self)
        self.table = row_table(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(RequestModel.SUBJECT, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(RequestModel.RECEIVED, date_time_width(self.table) + 16)
        header.resizeSection(RequestModel.SENDER, 130)
        header.resizeSection(RequestModel.SOURCE, 130)
        header.resizeSection(RequestModel.OWNER, 120)
        header.setMinimumSectionSize(60)
        # the subject gets the table's width first when the card's width is set
        self._sized = False
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.empty = EmptyHint("", "")
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        self.card = RequestCard(ctx)
        self.card.open_requested.connect(self.open_requested)
        self.card.ticket_requested.connect(self.show_ticket)
        self.card.acted.connect(self._on_card_acted)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.card)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([720, 480])  # until shown: see showEvent

        self.tickets = TicketsPanel(ctx)
        self.tickets.open_requested.connect(self.open_requested)
        self.tickets.request_requested.connect(self.show_request)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.tickets)
        self.message = UndoBar(self)

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 6, 0, 0)
        column.addLayout(top)
        column.addWidget(self.pages, 1)
        column.addWidget(self.message)

        # As the agenda's Ctrl+D / Ctrl+R: the request's actions from the list.
        card = self.card
        for keys, button in (
            (QKeySequence("Ctrl+T"), card.take_button),
            (QKeySequence("Ctrl+R"), card.reassign_button),
            (QKeySequence(QKeySequence.StandardKey.Delete), card.decline_button),
        ):
            shortcut = QShortcut(keys, self.splitter)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda b=button: button_keys.press(b))

        self.model.loading_changed.connect(self._update_empty)
        self.model.modelReset.connect(self._update_empty)
        self.model.load_failed.connect(self._on_model_load_failed)
        ctx.bus.changed.connect(self._on_bus_changed)
        self._update_empty()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """The card as narrow as its buttons allow, once the width is known:
        at 1366x768 the splitter's first sizes gave it up to 600 px and left
        the subject ~60 px ("Вопрос по д…")."""
        super().showEvent(event)
        if not self._sized and self.splitter.width() > 0:
            self._sized = True
            total = sum(self.splitter.sizes())
            card = max(CARD_WIDTH, self.card.minimumSizeHint().width())
            self.splitter.setSizes([max(total - card, 0), card])

    # --- public ---------------------------------------------------------------------

    def state(self) -> str:
        return str(self.tabs.tabData(self.tabs.currentIndex()))

    def set_state(self, state: str) -> None:
        for index in range(self.tabs.count()):
            if self.tabs.tabData(index) == state:
                self.tabs.setCurrentIndex(index)
                return

    def refresh(self) -> None:
        """The counters and the list in front (the section was shown, F5, a change)."""
        self.refresh_counts()
        if self.state() == TICKETS:
            self.tickets.refresh()
        else:
            self.model.state = self.state()
            self.model.show_marked = self.marked.isChecked()
            self.model.refresh()
            self.card.reload()

    def refresh_counts(self) -> None:
        self._work.read(lambda uow, actor: queries.counts(uow, actor), self._on_counts)

    def show_request(self, request_id: int) -> None:
        """Open a request (from a ticket's feed or a card tab) whatever its state."""
        self._work.read(
            lambda uow, actor: queries.get_request(uow, actor, request_id),
            lambda view: self._show_found(view.state, view.id),
        )

    def show_ticket(self, ticket_id: int) -> None:
        self.set_state(TICKETS)
        self.tickets.select(ticket_id)

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        view = self.model.row_at(index.row()) if index.isValid() else None
        return view.id if view is not None else None

    def select(self, request_id: int) -> bool:
        row = self.model.row_of(request_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    # --- slots ----------------------------------------------------------------------

    def _show_found(self, state: str, request_id: int) -> None:
        self.set_state(state)
        if not self.select(request_id):
            self.card.show_request(request_id)

    def _on_counts(self, counts: dict[str, int]) -> None:
        self.counts = dict(counts)
        for index in range(self.tabs.count()):
            state = str(self.tabs.tabData(index))
            if state == TICKETS:
                continue
            label = texts.state_tab(state)
            count = counts.get(state, 0)
            shown = count and state in ("new", "assigned")
            self.tabs.setTabText(index, f"{label} ({count})" if shown else label)
        self.counts_changed.emit(self.counts)

    def _on_tabs_current_changed(self, _index: int) -> None:
        tickets = self.state() == TICKETS
        self.pages.setCurrentWidget(self.tickets if tickets else self.splitter)
        self.marked.setVisible(not tickets)
        self.card.show_request(None)
        self.refresh()

    def _on_marked_toggled(self, _checked: bool) -> None:
        self.refresh()

    def _on_current_row_changed(self, current: Any, _previous: Any) -> None:
        """A row chosen; a reload that drops the selection keeps the card (the
        request just acted on may have moved to another state's list)."""
        view = self.model.row_at(current.row()) if current.isValid() else None
        if view is not None:
            self.card.show_request(view.id)

    def _on_card_acted(self, message: str) -> None:
        self.message.show_message(message)

    def _on_model_load_failed(self, exc: BaseException) -> None:
        self._ctx.report_error(exc)

    def _update_empty(self, *_args: Any) -> None:
        if self.model.rowCount() or self.model.is_loading:
            self.list_stack.setCurrentWidget(self.table)
            return
        title, hint = {
            "new": (
                self.tr("No new requests"),
                self.tr(
                    "Requests from your mailboxes, web forms and Telegram bot arrive here. "
                    "Set up a source in Settings → Sources & rules."
                ),
            ),
            "assigned": (
                self.tr("No assigned requests"),
                self.tr("Requests that someone owns and has not converted yet show here."),
            ),
            "converted": (
                self.tr("No converted requests"),
                self.tr("Requests that became a deal or a support ticket show here."),
            ),
            "rejected": (
                self.tr("No declined requests"),
                self.tr("Requests declined with a reason show here."),
            ),
        }.get(self.model.state or "", ("", ""))
        self.empty.set_text(title, hint)
        self.list_stack.setCurrentWidget(self.empty)

    def _on_bus_changed(self, changes: Changes) -> None:
        if not any(changes.touches(kind) for kind in WATCHED):
            return
        if self.isVisible():
            self.refresh()
        else:
            self.refresh_counts()
