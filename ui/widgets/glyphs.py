"""Type glyphs for the feed and the dialogs, drawn with QPainter: a white
line glyph on a coloured disc per interaction type, no image files needed."""

from __future__ import annotations

import functools

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

# One hue per type; unknown (user-added) types get the neutral one.
COLORS = {
    "call": "#2e9d5b",
    "meeting": "#7e57c2",
    "email": "#1e88e5",
    "sms": "#00897b",
    "messenger": "#039be5",
    "other": "#78909c",
    "note": "#f2a900",
    "task": "#ef6c00",
    "change": "#607d8b",
}
NEUTRAL = "#78909c"
MUTED = "#b0b6bb"


def color_for(code: str) -> QColor:
    return QColor(COLORS.get(code, NEUTRAL))


def paint_badge(
    painter: QPainter, rect: QRectF, code: str, *, muted: bool = False, ring: bool = False
) -> None:
    """A disc of the type's colour with its glyph; ``muted`` for cancelled
    items, ``ring`` (an outline instead of a fill) for planned ones."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = QColor(MUTED) if muted else color_for(code)
    side = min(rect.width(), rect.height())
    disc = QRectF(0, 0, side, side)
    disc.moveCenter(rect.center())
    if ring:
        fill = QColor(color)
        fill.setAlpha(28)
        painter.setBrush(fill)
        painter.setPen(QPen(color, max(1.2, side / 18)))
        painter.drawEllipse(disc.adjusted(0.75, 0.75, -0.75, -0.75))
        ink = color
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(disc)
        ink = QColor("#ffffff")
    inner = disc.adjusted(side * 0.27, side * 0.27, -side * 0.27, -side * 0.27)
    _glyph(painter, inner, code, ink)
    painter.restore()


def _glyph(p: QPainter, r: QRectF, code: str, ink: QColor) -> None:
    w = r.width()
    pen = QPen(ink, max(1.2, w * 0.13))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    x, y = r.left(), r.top()
    if code == "call":
        path = QPainterPath()
        path.moveTo(x + w * 0.10, y + w * 0.18)
        path.cubicTo(
            x + w * 0.05, y + w * 0.62, x + w * 0.38, y + w * 0.95, x + w * 0.82, y + w * 0.90
        )
        p.drawPath(path)
        p.setBrush(ink)
        p.setPen(Qt.PenStyle.NoPen)
        p.save()
        p.translate(x + w * 0.17, y + w * 0.17)
        p.rotate(-40)
        p.drawRoundedRect(QRectF(-w * 0.16, -w * 0.11, w * 0.32, w * 0.22), w * 0.06, w * 0.06)
        p.restore()
        p.save()
        p.translate(x + w * 0.83, y + w * 0.83)
        p.rotate(-50)
        p.drawRoundedRect(QRectF(-w * 0.16, -w * 0.11, w * 0.32, w * 0.22), w * 0.06, w * 0.06)
        p.restore()
    elif code == "meeting":
        p.drawEllipse(QPointF(x + w * 0.34, y + w * 0.28), w * 0.16, w * 0.16)
        p.drawEllipse(QPointF(x + w * 0.72, y + w * 0.34), w * 0.13, w * 0.13)
        body = QPainterPath()
        body.moveTo(x + w * 0.02, y + w * 0.95)
        body.cubicTo(
            x + w * 0.02, y + w * 0.55, x + w * 0.66, y + w * 0.55, x + w * 0.66, y + w * 0.95
        )
        p.drawPath(body)
        right = QPainterPath()
        right.moveTo(x + w * 0.70, y + w * 0.60)
        right.cubicTo(
            x + w * 0.90, y + w * 0.60, x + w * 1.0, y + w * 0.72, x + w * 1.0, y + w * 0.92
        )
        p.drawPath(right)
    elif code == "email":
        box = QRectF(x, y + w * 0.16, w, w * 0.70)
        p.drawRoundedRect(box, w * 0.08, w * 0.08)
        flap = QPainterPath()
        flap.moveTo(box.left() + w * 0.06, box.top() + w * 0.08)
        flap.lineTo(box.center().x(), box.top() + w * 0.42)
        flap.lineTo(box.right() - w * 0.06, box.top() + w * 0.08)
        p.drawPath(flap)
    elif code in ("sms", "messenger"):
        bubble = QPainterPath()
        bubble.addRoundedRect(QRectF(x, y + w * 0.06, w, w * 0.68), w * 0.2, w * 0.2)
        p.drawPath(bubble)
        tail = QPainterPath()
        tail.moveTo(x + w * 0.24, y + w * 0.74)
        tail.lineTo(x + w * 0.14, y + w * 0.98)
        tail.lineTo(x + w * 0.46, y + w * 0.74)
        p.drawPath(tail)
        if code == "sms":
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(ink)
            for i in range(3):
                p.drawEllipse(QPointF(x + w * (0.28 + 0.22 * i), y + w * 0.40), w * 0.07, w * 0.07)
        else:
            plane = QPainterPath()
            plane.moveTo(x + w * 0.22, y + w * 0.40)
            plane.lineTo(x + w * 0.78, y + w * 0.22)
            plane.lineTo(x + w * 0.58, y + w * 0.60)
            plane.closeSubpath()
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(ink)
            p.drawPath(plane)
    elif code == "note":
        page = QPainterPath()
        page.moveTo(x + w * 0.12, y)
        page.lineTo(x + w * 0.66, y)
        page.lineTo(x + w * 0.90, y + w * 0.24)
        page.lineTo(x + w * 0.90, y + w)
        page.lineTo(x + w * 0.12, y + w)
        page.closeSubpath()
        p.drawPath(page)
        for i in range(3):
            yy = y + w * (0.40 + 0.2 * i)
            p.drawLine(QPointF(x + w * 0.32, yy), QPointF(x + w * 0.70, yy))
    elif code == "task":
        p.drawRoundedRect(QRectF(x + w * 0.02, y + w * 0.02, w * 0.96, w * 0.96), w * 0.2, w * 0.2)
        check = QPainterPath()
        check.moveTo(x + w * 0.26, y + w * 0.52)
        check.lineTo(x + w * 0.44, y + w * 0.70)
        check.lineTo(x + w * 0.76, y + w * 0.32)
        p.drawPath(check)
    elif code == "change":
        p.save()
        p.translate(r.center())
        p.rotate(45)
        length, thick = w * 1.05, w * 0.30
        shaft = QRectF(-thick / 2, -length / 2, thick, length * 0.78)
        p.drawRect(shaft)
        tip = QPainterPath()
        tip.moveTo(-thick / 2, shaft.bottom())
        tip.lineTo(0, length / 2)
        tip.lineTo(thick / 2, shaft.bottom())
        p.drawPath(tip)
        p.restore()
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(ink)
        for i in range(3):
            p.drawEllipse(QPointF(x + w * (0.14 + 0.36 * i), r.center().y()), w * 0.11, w * 0.11)


@functools.lru_cache(maxsize=128)
def _pixmap(code: str, size: int, muted: bool, ratio: float) -> QPixmap:
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_badge(painter, QRectF(0, 0, size, size), code, muted=muted)
    painter.end()
    return pixmap


def type_icon(code: str, size: int = 20, *, muted: bool = False, ratio: float = 1.0) -> QIcon:
    return QIcon(_pixmap(code, size, muted, ratio))
