"""The line icons: every mode and size drawn in its palette colour, each
SVG parsed once a colour (issue #16: the navigation's icons are drawn
before the first paint)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QIcon, QPalette
from pytestqt.qtbot import QtBot

from ui.shell import icons


def test_each_mode_is_drawn_in_its_palette_colour_at_every_size(qtbot: QtBot) -> None:
    palette = QGuiApplication.palette()
    wanted = {
        QIcon.Mode.Normal: palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText),
        QIcon.Mode.Selected: palette.color(
            QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText
        ),
        QIcon.Mode.Disabled: palette.color(
            QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText
        ),
    }
    drawn = icons.icon("clients")
    assert {(s.width(), s.height()) for s in drawn.availableSizes()} >= {
        (16, 16),
        (20, 20),
        (24, 24),
        (32, 32),
    }
    for mode, color in wanted.items():
        for size in (16, 20, 24, 32):
            image = drawn.pixmap(QSize(size, size), mode).toImage()
            inked = {
                image.pixelColor(x, y).rgb()
                for x in range(image.width())
                for y in range(image.height())
                if image.pixelColor(x, y).alpha() == 255
            }
            assert inked == {color.rgb()}, (mode, size)


def test_an_icon_parses_its_svg_once_a_colour(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[Any] = []
    real = icons.QSvgRenderer

    def counting(*args: Any) -> Any:
        parsed.append(args)
        return real(*args)

    monkeypatch.setattr(icons, "QSvgRenderer", counting)
    icons.icon("clients")
    assert len(parsed) == 3  # normal, selected, disabled; not once for each of 12 pixmaps
