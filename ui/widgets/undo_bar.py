"""A snackbar: "Call cancelled  [Undo]" that goes away by itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QToolButton

from ui.widgets.plain import plain_label

STYLE = """
QFrame#undoBar { background: #2f3437; border-radius: 6px; }
QFrame#undoBar QLabel { color: #f1f3f4; }
QFrame#undoBar QPushButton {
    color: #8ab4f8; background: transparent; border: none; font-weight: 600; padding: 2px 8px;
}
QFrame#undoBar QPushButton:hover { color: #aecbfa; }
QFrame#undoBar QToolButton { color: #bdc1c6; background: transparent; border: none; }
"""


class UndoBar(QFrame):
    undo_clicked = Signal()

    def __init__(self, parent: Any = None, *, timeout_ms: int = 10_000) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        self.setStyleSheet(STYLE)
        self._timeout_ms = timeout_ms
        self._undo: Callable[[], None] | None = None
        self.message = plain_label()
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.undo_button.clicked.connect(self._on_undo_button_clicked)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip(self.tr("Dismiss"))
        close.clicked.connect(self.dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 6, 6, 6)
        row.addWidget(self.message, 1)
        row.addWidget(self.undo_button)
        row.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.hide()

    def show_message(self, text: str, undo: Callable[[], None] | None = None) -> None:
        self.message.setText(text)
        self._undo = undo
        self.undo_button.setVisible(undo is not None)
        self.show()
        self._timer.start(self._timeout_ms)

    def dismiss(self) -> None:
        self._timer.stop()
        self._undo = None
        self.hide()

    def _on_undo_button_clicked(self) -> None:
        undo = self._undo
        self.dismiss()
        self.undo_clicked.emit()
        if undo is not None:
            undo()
