"""One column of the deal board: a list of deal cards that can be dragged
to another column. The drop only reports the wish (``deal_dropped``); the
board asks the service and moves the card, or puts it back when refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QDate,
    QLocale,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QDropEvent, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from ui.shell import formatting
from ui.widgets.plain import tooltip

MIME = "application/x-touchpoint-deal"
CARD_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclasses.dataclass(frozen=True)
class DealCard:
    id: int
    title: str
    party: str
    amount: Decimal | None
    currency: str
    next_at: dt.datetime | None
    active: bool = True


class DealDelegate(QStyledItemDelegate):
    """Paints a card: title, client, amount and the next planned date, in
    palette colours only."""

    PAD = 8

    def __init__(self, no_step_text: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.no_step_text = no_step_text

    def sizeHint(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = QFontMetrics(option.font).height()
        return QSize(200, self.PAD * 2 + line * 3 + 10 + 6)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        card: DealCard | None = index.data(CARD_ROLE)
        if card is None:
            return
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect = option.rect.adjusted(2, 3, -2, -3)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(
            QPen(
                palette.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Mid),
                1.5 if selected else 1,
            )
        )
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(rect, 6, 6)
        inner = rect.adjusted(self.PAD, self.PAD - 2, -self.PAD, -self.PAD + 2)
        line = QFontMetrics(option.font).height()
        bold = QFont(option.font)
        bold.setWeight(QFont.Weight.DemiBold)
        text = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setFont(bold)
        painter.setPen(text)
        title = QFontMetrics(bold).elidedText(
            card.title, Qt.TextElideMode.ElideRight, inner.width()
        )
        painter.drawText(
            QRect(inner.left(), inner.top(), inner.width(), line), Qt.AlignmentFlag.AlignLeft, title
        )
        painter.setFont(option.font)
        painter.setPen(muted)
        party = QFontMetrics(option.font).elidedText(
            card.party, Qt.TextElideMode.ElideRight, inner.width()
        )
        painter.drawText(
            QRect(inner.left(), inner.top() + line + 3, inner.width(), line),
            Qt.AlignmentFlag.AlignLeft,
            party,
        )
        bottom = QRect(inner.left(), inner.top() + 2 * line + 8, inner.width(), line)
        amount = formatting.money(card.amount, card.currency)
        metrics = QFontMetrics(option.font)
        painter.setPen(text)
        painter.drawText(bottom, Qt.AlignmentFlag.AlignRight, amount)
        room = bottom.width() - metrics.horizontalAdvance(amount) - 12
        painter.setPen(muted)
        painter.drawText(bottom, Qt.AlignmentFlag.AlignLeft, self.when(card, metrics, room))
        painter.restore()

    def when(self, card: DealCard, metrics: QFontMetrics, room: int) -> str:
        """The next step's date (or that there is none) beside the amount: in
        full where it fits, else shorter ("→ 17 Dec", "No step"), and only
        then cut. At 1366x768 the Russian board read "Нет след. ..." and
        "→ 17.12.2..." beside amounts in millions; a date in another year keeps
        its year in two digits ("→ 17.12.27") rather than lose it."""
        if card.next_at is not None:
            day = card.next_at
            date = QDate(day.year, day.month, day.day)
            forms = ["→ " + formatting.date(day)]
            if day.year == dt.date.today().year:
                forms.append("→ " + QLocale().toString(date, "d MMM"))
            else:
                numeric = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
                forms.append("→ " + QLocale().toString(date, numeric.replace("yyyy", "yy")))
        elif card.active:
            forms = [self.no_step_text, QCoreApplication.translate("DealDelegate", "No step")]
        else:
            return ""
        for text in forms:
            if metrics.horizontalAdvance(text) <= room:
                return text
        return metrics.elidedText(forms[-1], Qt.TextElideMode.ElideRight, max(room, 0))


class DealList(QListWidget):
    deal_dropped = Signal(object, object)  # deal id, this column's stage id

    def __init__(
        self, stage_id: int, no_step_text: str, parent: Any = None, *, keys_hint: str = ""
    ) -> None:
        super().__init__(parent)
        self.stage_id = stage_id
        self.keys_hint = keys_hint  # under each card's tooltip: what the keys do
        self.setItemDelegate(DealDelegate(no_step_text, self))
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(True)
        self.setSpacing(0)
        self.viewport().setAutoFillBackground(False)

    def add_card(self, card: DealCard, row: int | None = None) -> QListWidgetItem:
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, card.id)
        item.setData(CARD_ROLE, card)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, card.title)
        hint = f"\n\n{self.keys_hint}" if self.keys_hint else ""
        item.setToolTip(tooltip(f"{card.title}\n{card.party}{hint}"))
        if row is None:
            self.addItem(item)
        else:
            self.insertItem(row, item)
        return item

    def take_card(self, deal_id: int) -> tuple[int, DealCard] | None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == deal_id:
                card = item.data(CARD_ROLE)
                self.takeItem(row)
                return row, card
        return None

    def cards(self) -> list[DealCard]:
        return [self.item(r).data(CARD_ROLE) for r in range(self.count())]

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME]

    def mimeData(self, items: Any) -> QMimeData:  # noqa: N802
        data = QMimeData()
        ids = ",".join(str(item.data(Qt.ItemDataRole.UserRole)) for item in items)
        data.setData(MIME, QByteArray(ids.encode()))
        return data

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        raw = bytes(event.mimeData().data(MIME).data()).decode()
        if not raw:
            event.ignore()
            return
        # Accept as a copy: the source must not delete its item; the board
        # moves the card itself once the service agrees.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        for part in raw.split(","):
            if part.strip().isdigit():
                self.deal_dropped.emit(int(part), self.stage_id)
