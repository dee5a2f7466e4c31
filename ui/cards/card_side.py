"""A card's side column: quick note or task, custom fields, the client's
scenario runs, the memo and the indicators, one under another.

Apart from the card so that which sections a kind of card shows, and in
what order, is one constructor; the card fills the sections in.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from ui.cards.fields_section import FieldsSection
from ui.cards.indicators import IndicatorsPanel
from ui.cards.memo_box import MemoBox
from ui.cards.quick_block import QuickBlock, section_title
from ui.context import UiContext
from ui.scenarios.runs_section import RunsSection
from ui.shell.preferences import Preferences


def rule() -> QFrame:
    """The thin line between a card's parts."""
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    line.setStyleSheet("color: palette(midlight);")
    return line


class CardSide(QScrollArea):
    def __init__(
        self, ctx: UiContext, kind: str, settings: QSettings | None = None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.quick = QuickBlock(ctx)
        self.fields = FieldsSection(ctx, Preferences(settings) if settings is not None else None)
        self.memo = MemoBox(ctx)
        self.runs = RunsSection(ctx)
        self.indicators = IndicatorsPanel(settings=settings)
        side = QWidget()
        side.setObjectName("cardSide")
        column = QVBoxLayout(side)
        column.setContentsMargins(14, 12, 16, 12)
        column.setSpacing(10)
        column.addWidget(section_title(self.tr("Quick add")))
        column.addWidget(self.quick)
        column.addWidget(rule())
        if kind != "deal":
            column.addWidget(section_title(self.tr("Fields")))
            column.addWidget(self.fields)
            column.addWidget(rule())
        if kind in ("client", "contact"):
            column.addWidget(section_title(self.tr("Scenarios")))
            column.addWidget(self.runs)
            column.addWidget(rule())
        column.addWidget(self.memo)
        column.addWidget(rule())
        column.addWidget(self.indicators)
        column.addStretch(1)
        self.setWidget(side)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(280)
