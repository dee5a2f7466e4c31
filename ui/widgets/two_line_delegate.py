"""A list row of two lines: a name in bold, what it is muted under it,
with room around them and a thin line between rows, so that one item does
not run into the next ("Бот «Северторг»\\nTelegram\\nФормы сайта…")."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 40  # the second line, plain text
PAD = 6  # above, between and below the lines
SIDE = 8

Index = QModelIndex | QPersistentModelIndex


class TwoLineDelegate(QStyledItemDelegate):
    """The item's text is its first line (bold); ``SUBTITLE_ROLE`` its second
    (muted). Both elided; the item's tooltip should hold them in full."""

    def _bold(self, font: QFont) -> QFont:
        bold = QFont(font)
        bold.setWeight(QFont.Weight.DemiBold)
        return bold

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        line = option.fontMetrics.height()
        return QSize(size.width(), 2 * line + 3 * PAD + 1)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title, opt.text = opt.text, ""
        widget: Any = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:  # the background, selection and focus as usual
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Normal
            if opt.state & QStyle.StateFlag.State_Enabled
            else QPalette.ColorGroup.Disabled
        )
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        muted_role = (
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        rect = opt.rect.adjusted(SIDE, PAD, -SIDE, -PAD)
        line = opt.fontMetrics.height()
        subtitle = str(index.data(SUBTITLE_ROLE) or "")
        painter.save()
        bold = self._bold(opt.font)
        painter.setFont(bold)
        painter.setPen(opt.palette.color(group, text_role))
        first = QRect(rect.left(), rect.top(), rect.width(), line)
        elide = Qt.TextElideMode.ElideRight
        painter.drawText(
            first,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(title, elide, rect.width()),
        )
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(group, muted_role))
        second = QRect(rect.left(), rect.top() + line + PAD, rect.width(), line)
        painter.drawText(
            second,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            opt.fontMetrics.elidedText(subtitle, elide, rect.width()),
        )
        if not selected:  # a hairline between rows
            painter.setPen(opt.palette.color(QPalette.ColorRole.Midlight))
            bottom = opt.rect.bottom()
            painter.drawLine(opt.rect.left() + SIDE, bottom, opt.rect.right() - SIDE, bottom)
        painter.restore()
