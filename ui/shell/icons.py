"""Line icons from ``resources/icons``, drawn in the palette's text colour so
they stay readable in light and dark mode alike."""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

import resources

ICONS = Path(resources.__file__).resolve().parent / "icons"


@functools.cache
def _svg(name: str) -> str:
    return (ICONS / f"{name}.svg").read_text(encoding="utf-8")


def _pixmap(name: str, color: QColor, size: int, ratio: float) -> QPixmap:
    data = _svg(name).replace("currentColor", color.name())
    renderer = QSvgRenderer(QByteArray(data.encode("utf-8")))
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


def icon(name: str, role: QPalette.ColorRole = QPalette.ColorRole.WindowText) -> QIcon:
    """``name`` of a file in resources/icons, tinted with the current palette."""
    app = QGuiApplication.instance()
    palette = QGuiApplication.palette()
    ratio = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
    result = QIcon()
    for size in (16, 20, 24, 32):
        normal = palette.color(QPalette.ColorGroup.Active, role)
        result.addPixmap(_pixmap(name, normal, size, max(ratio, 1.0)), QIcon.Mode.Normal)
        selected = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
        result.addPixmap(_pixmap(name, selected, size, max(ratio, 1.0)), QIcon.Mode.Selected)
        disabled = palette.color(QPalette.ColorGroup.Disabled, role)
        result.addPixmap(_pixmap(name, disabled, size, max(ratio, 1.0)), QIcon.Mode.Disabled)
    return result
