"""The linked-object tabs of a card (SPEC B2): deals and contact persons
(attachments: attachments_tab.py). Small lists, so plain item widgets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QStackedWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.core.views import ContactView, DealRow
from ui.widgets import phone_text, stage_names, timefmt
from ui.widgets.empty_state import EmptyHint


class ListTab(QWidget):
    add_requested = Signal()  # the "+" above the list: create (or link) one

    def __init__(
        self, headers: Sequence[str], empty: EmptyHint, add_text: str = "", parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.add_button = QToolButton()
        self.add_button.setText("+ " + add_text)
        self.add_button.setAutoRaise(True)
        self.add_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.add_button.clicked.connect(self.add_requested)
        self.add_button.setVisible(bool(add_text))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(list(headers))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        # the agenda's and the search's rows: bare rows read as a spreadsheet
        self.tree.setStyleSheet("QTreeView::item { padding: 3px 2px; }")
        self.tree.setAlternatingRowColors(True)
        self.tree.setFrameShape(QTreeWidget.Shape.NoFrame)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(headers)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = empty
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty)
        self.bar = bar = QHBoxLayout()  # a tab adds its own buttons after the stretch
        bar.setContentsMargins(0, 2, 0, 2)
        bar.addWidget(self.add_button)
        bar.addStretch(1)
        self.column = column = QVBoxLayout(self)  # a tab may add a bar below the list
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(bar)
        column.addWidget(self.stack)

    def _show(self, has_rows: bool) -> None:
        self.stack.setCurrentWidget(self.tree if has_rows else self.empty)

    def row_count(self) -> int:
        return self.tree.topLevelItemCount()


class DealsTab(ListTab):
    deal_activated = Signal(object)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [self.tr("Deal"), self.tr("Stage"), self.tr("Amount"), self.tr("Status")],
            EmptyHint(
                self.tr("No deals yet"),
                self.tr("Deals with this client appear here: start one with “New deal” above."),
            ),
            self.tr("New deal"),
            parent,
        )
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(self._on_item_activated)

    def set_deals(self, deals: Sequence[DealRow] | None) -> None:
        self.tree.clear()
        if deals is None:
            self.empty.set_text("—", self.tr("The deal list is not available in this version."))
            self._show(False)
            return
        self.empty.set_text(
            self.tr("No deals yet"),
            self.tr("Deals with this client appear here: start one with “New deal” above."),
        )
        for deal in sorted(deals, key=lambda d: (not d.active, d.title.casefold())):
            amount = timefmt.money(deal.amount, deal.currency) if deal.amount is not None else ""
            status = self.tr("Open") if deal.active else self.tr("Closed")
            item = QTreeWidgetItem([deal.title, stage_names.shown(deal.stage), amount, status])
            item.setData(0, Qt.ItemDataRole.UserRole, deal.id)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if not deal.active:
                for col in range(4):
                    item.setForeground(col, self.palette().placeholderText())
            self.tree.addTopLevelItem(item)
        self._show(bool(deals))

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.deal_activated.emit(int(item.data(0, Qt.ItemDataRole.UserRole)))


class ContactsTab(ListTab):
    contact_activated = Signal(object)
    phone_clicked = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [self.tr("Name"), self.tr("Position"), self.tr("Phone"), self.tr("Email")],
            EmptyHint(
                self.tr("No contact persons yet"),
                self.tr(
                    "Add the people you talk to at this client with “New contact person” above."
                ),
            ),
            self.tr("New contact person"),
            parent,
        )
        self.tree.itemActivated.connect(self._on_item_activated)

    def set_contacts(self, contacts: Sequence[ContactView]) -> None:
        self.tree.clear()
        for contact in contacts:
            phones = ", ".join(
                phone_text.shown(p.normalized, p.raw) for p in contact.points if p.kind == "phone"
            )
            emails = ", ".join(p.raw for p in contact.points if p.kind == "email")
            item = QTreeWidgetItem([contact.full_name, contact.position or "", phones, emails])
            item.setData(0, Qt.ItemDataRole.UserRole, contact.id)
            self.tree.addTopLevelItem(item)
        self._show(bool(contacts))

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.contact_activated.emit(int(item.data(0, Qt.ItemDataRole.UserRole)))
