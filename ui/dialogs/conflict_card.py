"""A line of the conflict list that opens its record's card (#20): an
"Open card" button, a double-click or Enter on the line. The record's card
comes with the conflict or refusal (services/sync/record_cards.py); a
record gone from the laptop has none, and the button says so."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QPushButton, QWidget


class CardLine(QFrame):
    card_requested = Signal(str, object, str)  # card kind, id, the record's name

    def __init__(
        self, card_kind: str | None, card_id: int | None, label: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.card = (card_kind, card_id) if card_kind and card_id is not None else None
        self._label = label
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.open_button = QPushButton(self.tr("Open card"))
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(self.open_card)
        self.open_button.setEnabled(self.card is not None)
        self.open_button.setToolTip(
            self.tr("Open the card this record belongs to (double-click or Enter on the line)")
            if self.card is not None
            else self.tr("The record is no longer on this laptop: there is no card to open")
        )

    def open_card(self) -> None:
        if self.card is not None:
            self.card_requested.emit(self.card[0], self.card[1], self._label)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.open_card()
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.card is not None:
            self.open_card()
            return
        super().keyPressEvent(event)
