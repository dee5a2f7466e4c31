"""What an empty list says: what it will hold, and how to fill it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QStackedWidget, QVBoxLayout, QWidget

from ui.widgets.plain import plain_label


class EmptyHint(QWidget):
    action_clicked = Signal()

    def __init__(
        self, title: str, hint: str = "", action: str | None = None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.title = plain_label(title)
        self.title.setObjectName("emptyTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = plain_label(hint)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        self.hint.setVisible(bool(hint))
        self.button = QPushButton(action or "")
        self.button.setVisible(bool(action))
        self.button.clicked.connect(self.action_clicked)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 24, 24, 24)
        column.addStretch(2)
        column.addWidget(self.title)
        column.addWidget(self.hint)
        column.addSpacing(6)
        column.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(3)

    def set_text(self, title: str, hint: str = "", action: str | None = None) -> None:
        self.title.setText(title)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.button.setText(action or "")
        self.button.setVisible(bool(action))

    def text(self) -> str:
        return " ".join(t for t in (self.title.text(), self.hint.text()) if t)


def hint_or_page(owner: QWidget, empty: EmptyHint, page: QWidget) -> QStackedWidget:
    """The stack of a detail pane (a request, a ticket): ``empty`` until one
    is chosen (or when it cannot be shown), then ``page``; it fills ``owner``."""
    stack = QStackedWidget()
    stack.addWidget(empty)
    stack.addWidget(page)
    outer = QVBoxLayout(owner)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(stack)
    return stack
