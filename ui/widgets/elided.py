"""A one-line label that gives way: cut with "…" where its room ends, the
whole text in its tooltip and in ``text()``. A long Russian company name on a
card, or the replica's status in the status bar, must not widen the window
past a laptop's screen."""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QWidget,
)

from ui.widgets.plain import tooltip


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", *, full_tooltip: bool = True) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._full = ""
        self._full_tooltip = full_tooltip
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        self._full = text
        if self._full_tooltip:
            self.setToolTip(tooltip(text))
        self._elide()

    def text(self) -> str:
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(0, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """The whole text's width: once cut, the label still asks for the
        room it needs, so it grows back when the text changes or room frees
        (QLabel's own hint is the cut text's, which kept it cut for good)."""
        margins = self.contentsMargins()
        # rounded up: the whole-pixel advance can be a pixel short of what
        # elidedText needs, and a label given its own hint cut its last word
        advance = QFontMetricsF(self.font()).horizontalAdvance(getattr(self, "_full", ""))
        width = math.ceil(advance) + margins.left() + margins.right()
        return QSize(width + 2 * self.margin(), super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        QLabel.setText(self, shown if width > 0 else self._full)


class ElidedCombo(QComboBox):
    """A drop-down whose shown choice is cut with "…" where its field ends.

    Qt draws a too-long choice clipped mid-letter ("Куликов Артём Борисовı"
    in a card's side column once its scrollbar takes room); this one elides
    it and keeps the whole choice in the tooltip. The list opens as wide as
    its longest choice, as usual.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentTextChanged.connect(lambda text: self.setToolTip(tooltip(text)))

    def shown_text(self) -> str:
        """The choice as painted: elided to the field's width."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            self,
        )
        width = field.width() - (
            self.iconSize().width() + 4 if not option.currentIcon.isNull() else 0
        )
        return self.fontMetrics().elidedText(
            self.currentText(), Qt.TextElideMode.ElideRight, max(0, width)
        )

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if self.isEditable():
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
