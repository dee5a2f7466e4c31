"""A one-line label that gives way: cut with "…" where its room ends, the
whole text in its tooltip and in ``text()``. A long Russian company name on a
card, or the replica's status in the status bar, must not widen the window
past a laptop's screen."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel

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
        width = (
            self.fontMetrics().horizontalAdvance(getattr(self, "_full", ""))
            + margins.left()
            + margins.right()
        )
        return QSize(width + 2 * self.margin(), super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        QLabel.setText(self, shown if width > 0 else self._full)
