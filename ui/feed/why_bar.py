"""The answer to "why is this here?" under a feed: which address or number
put an imported letter or call on this card, by which rule."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QToolButton, QVBoxLayout

from ui.widgets.plain import plain_label

STYLE = """
QFrame#whyBar {
    background: palette(alternate-base); border: 1px solid palette(midlight);
    border-left: 3px solid palette(highlight); border-radius: 6px;
}
QFrame#whyBar QLabel#whyTitle { font-weight: 600; }
QFrame#whyBar QToolButton { background: transparent; border: none; }
"""


class WhyBar(QFrame):
    unlink_clicked = Signal(object)  # interaction id

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("whyBar")
        self.setStyleSheet(STYLE)
        self.interaction_id: int | None = None
        self.title = plain_label()
        self.title.setObjectName("whyTitle")
        self.text = plain_label()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.unlink_button = QPushButton(self.tr("Unlink from this card…"))
        self.unlink_button.clicked.connect(self._on_unlink_button_clicked)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip(self.tr("Dismiss"))
        close.clicked.connect(self.dismiss)
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self.title)
        words.addWidget(self.text)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 6, 8)
        row.addLayout(words, 1)
        row.addWidget(self.unlink_button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_reason(self, interaction_id: int, title: str, text: str, *, can_unlink: bool) -> None:
        self.interaction_id = interaction_id
        self.title.setText(title)
        self.text.setText(text)
        self.unlink_button.setVisible(can_unlink)
        self.show()

    def dismiss(self) -> None:
        self.interaction_id = None
        self.hide()

    def _on_unlink_button_clicked(self) -> None:
        if self.interaction_id is not None:
            self.unlink_clicked.emit(self.interaction_id)
