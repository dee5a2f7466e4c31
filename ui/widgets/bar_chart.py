"""Interactions per month as small bars: enough to see a client going quiet."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QPainter, QPalette
from PySide6.QtWidgets import QToolTip, QWidget


class MonthBars(QWidget):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._data: list[tuple[str, str, int]] = []  # (short label, tooltip label, count)
        self.setMinimumHeight(84)
        self.color = QColor("#1e88e5")

    def set_data(self, data: Sequence[tuple[str, str, int]]) -> None:
        self._data = list(data)
        self.update()

    @property
    def data(self) -> list[tuple[str, str, int]]:
        return list(self._data)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(240, 90)

    def _bars(self) -> list[QRectF]:
        n = len(self._data)
        if not n:
            return []
        fm = QFontMetrics(self._small_font())
        top = fm.height() + 2
        bottom = self.height() - fm.height() - 4
        width = self.width() / n
        peak = max(c for _, _, c in self._data) or 1
        rects = []
        for i, (_, _, count) in enumerate(self._data):
            h = (bottom - top) * count / peak
            x = i * width + width * 0.18
            rects.append(QRectF(x, bottom - max(h, 1.5), width * 0.64, max(h, 1.5)))
        return rects

    def _small_font(self) -> Any:
        font = self.font()
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        return font

    def paintEvent(self, _event: Any) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        font = self._small_font()
        painter.setFont(font)
        fm = QFontMetrics(font)
        bars = self._bars()
        baseline = self.height() - fm.height() - 4
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(0, int(baseline) + 1, self.width(), int(baseline) + 1)
        if not bars:
            return
        last = len(bars) - 1
        for i, (rect, (label, _, count)) in enumerate(zip(bars, self._data, strict=True)):
            color = QColor(self.color)
            if i != last:
                color.setAlpha(150)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(rect, 2, 2)
            painter.setPen(muted)
            cell = QRectF(rect.center().x() - 20, baseline + 3, 40, fm.height())
            painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, label)
            if count:
                above = QRectF(
                    rect.center().x() - 20, rect.top() - fm.height() - 1, 40, fm.height()
                )
                painter.setPen(palette.color(QPalette.ColorRole.WindowText))
                painter.drawText(above, Qt.AlignmentFlag.AlignCenter, str(count))

    def event(self, event: Any) -> bool:
        if event.type() == event.Type.ToolTip and isinstance(event, QHelpEvent):
            for rect, (_, full, count) in zip(self._bars(), self._data, strict=True):
                column = QRectF(rect.left() - 4, 0, rect.width() + 8, self.height())
                if column.contains(event.pos().toPointF()):
                    QToolTip.showText(
                        event.globalPos(),
                        self.tr("%1: %2 interactions")
                        .replace("%1", full)
                        .replace("%2", str(count)),
                        self,
                    )
                    return True
            QToolTip.hideText()
            return True
        return super().event(event)
