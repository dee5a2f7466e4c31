"""Initials on a coloured circle: the card header's picture of a client."""

from __future__ import annotations

import zlib
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

PALETTE = ("#5c6bc0", "#26a69a", "#ef6c00", "#8e24aa", "#3949ab", "#00897b", "#c0ca33", "#6d4c41")


def initials(name: str) -> str:
    words = [w for w in name.replace('"', " ").replace("«", " ").split() if w[:1].isalnum()]
    skip = {"ооо", "зао", "оао", "пао", "ип", "ао", "llc", "ltd", "inc", "gmbh", "too", "тоо"}
    meaningful = [w for w in words if w.casefold().strip(".") not in skip] or words
    letters = "".join(w[0] for w in meaningful[:2]).upper()
    return letters or "?"


class Avatar(QWidget):
    def __init__(self, size: int = 48, parent: Any = None) -> None:
        super().__init__(parent)
        self._size = size
        self._text = "?"
        self._color = QColor(PALETTE[0])
        self.setFixedSize(size, size)

    def set_name(self, name: str) -> None:
        self._text = initials(name)
        self._color = QColor(PALETTE[zlib.crc32(name.encode("utf-8")) % len(PALETTE)])
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._size, self._size)

    def paintEvent(self, _event: Any) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._color)
        painter.drawEllipse(QRectF(0, 0, self._size, self._size))
        font = self.font()
        font.setPixelSize(int(self._size * 0.38))
        font.setWeight(font.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(
            QRectF(0, 0, self._size, self._size), Qt.AlignmentFlag.AlignCenter, self._text
        )
