"""A list row with a small badge at its right, e.g. the "AI" of AI templates."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem


class BadgeDelegate(QStyledItemDelegate):
    """Draws a small pill ("AI") at the right of the rows whose ``role``
    data is true; other rows paint as usual."""

    def __init__(self, badge: str, role: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.badge = badge
        self.role = role

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 8)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        if not index.data(self.role):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        metrics = opt.fontMetrics
        width = metrics.horizontalAdvance(self.badge) + 10
        height = metrics.height()
        room = opt.rect.width() - width - 24
        opt.text = metrics.elidedText(opt.text, Qt.TextElideMode.ElideRight, max(room, 0))
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is None:
            super().paint(painter, option, index)
            return
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pill = QRect(
            opt.rect.right() - width - 6, opt.rect.center().y() - height // 2, width, height
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
        text = QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.HighlightedText
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(opt.palette.color(fill))
        painter.drawRoundedRect(pill, 4, 4)
        painter.setPen(opt.palette.color(text))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, self.badge)
        painter.restore()
