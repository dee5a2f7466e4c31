"""The line under a field that says what is wrong with it (red) or what to
watch out for (amber); empty and hidden when all is well."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget

ERROR = "#c62828"
WARNING = "#b26a00"
INFO = "#6b7280"


class FieldHint(QLabel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # messages quote what was typed or read
        self.level = ""
        font = self.font()
        font.setPointSizeF(max(7.5, font.pointSizeF() * 0.9))
        self.setFont(font)
        self.hide()

    def _show(self, text: str, color: str, level: str) -> None:
        self.level = level
        self.setText(text)
        self.setStyleSheet(f"color: {color};")
        self.setVisible(bool(text))

    def show_error(self, text: str) -> None:
        self._show(text, ERROR, "error")

    def show_warning(self, text: str) -> None:
        self._show(text, WARNING, "warning")

    def show_info(self, text: str) -> None:
        self._show(text, INFO, "info")

    def clear_hint(self) -> None:
        self.level = ""
        self.setText("")
        self.hide()

    @property
    def is_error(self) -> bool:
        return self.level == "error"


def with_hint(field: QWidget | QLayout, hint: FieldHint) -> QWidget:
    """The field with its hint line right under it, as one cell of a form."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    if isinstance(field, QWidget):
        column.addWidget(field)
    else:
        column.addLayout(field)
    column.addWidget(hint)
    return box
