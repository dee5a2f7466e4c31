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


def _renderer(name: str, color: QColor) -> QSvgRenderer:
    data = _svg(name).replace("currentColor", color.name())
    return QSvgRenderer(QByteArray(data.encode("utf-8")))


def _pixmap(renderer: QSvgRenderer, size: int, ratio: float) -> QPixmap:
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
    # One parsed SVG a colour, drawn at every size (it was parsed for each of
    # the 12 pixmaps: ~1.5 ms an icon before the first paint, issue #16).
    modes = (
        (QIcon.Mode.Normal, palette.color(QPalette.ColorGroup.Active, role)),
        (
            QIcon.Mode.Selected,
            palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText),
        ),
        (QIcon.Mode.Disabled, palette.color(QPalette.ColorGroup.Disabled, role)),
    )
    renderers = [(mode, _renderer(name, color)) for mode, color in modes]
    result = QIcon()
    for size in (16, 20, 24, 32):
        for mode, renderer in renderers:
            result.addPixmap(_pixmap(renderer, size, max(ratio, 1.0)), mode)
    return result
