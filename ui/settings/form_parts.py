"""Small layout pieces the settings pages share."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget


def stacked(*parts: QWidget | QHBoxLayout) -> QVBoxLayout:
    """A field with the lines under it (its hint), tight together; hidden
    hints take no room."""
    column = QVBoxLayout()
    column.setSpacing(3)
    for part in parts:
        if isinstance(part, QHBoxLayout):
            column.addLayout(part)
        else:
            column.addWidget(part)
    return column


def muted(text: str = "") -> QLabel:
    """A grey explanatory line that wraps."""
    label = QLabel(text)
    label.setProperty("role", "muted")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
