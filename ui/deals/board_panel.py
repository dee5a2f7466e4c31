"""The deal board: a column per stage of the chosen pipeline, a card per
deal. Dragging a card to another column moves the deal (``deals.move`` and
the next-step rule, on the writes lane); when the service refuses, its
message is shown and the card snaps back."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from services.core.changes import Changes
from services.core.views import Board, BoardColumn
from services.parties import use_cases as parties
from ui.context import UiContext
from ui.deals import board_source
from ui.deals.deal_list import CARD_ROLE, DealCard, DealList
from ui.shell import formatting
from ui.widgets import button_keys, stage_names
from ui.widgets.elided import ElidedLabel
from ui.widgets.plain import plain_label
from ui.widgets.work import Work

COLUMN_WIDTH = 206  # five stages beside the section bar on a 1366 px laptop
NEXT_STAGE = QKeySequence("Alt+Right")
PREVIOUS_STAGE = QKeySequence("Alt+Left")


def stage_name(name: str) -> str:
    """Names of the built-in stages in the interface language; others as typed."""
    return stage_names.shown(name)


class StageColumn(QFrame):
    def __init__(
        self, column: BoardColumn, no_step: str, parent: Any = None, *, keys_hint: str = ""
    ) -> None:
        super().__init__(parent)
        self.stage_id = column.stage_id
        self.outcome = column.outcome
        self.total = column.total  # with the cards not shown
        self.setObjectName("stageColumn")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.setAutoFillBackground(True)
        self.setMinimumWidth(COLUMN_WIDTH)
        self.title = plain_label(stage_name(column.name))
        font = QFont(self.title.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.summary = ElidedLabel()  # sums in several currencies: cut, whole in the tooltip
        self.summary.setProperty("role", "muted")
        self.list = DealList(column.stage_id, no_step, keys_hint=keys_hint)
        for deal in column.deals:
            self.list.add_card(board_source.card(deal))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addSpacing(4)
        layout.addWidget(self.list, 1)
        self.update_summary()

    def update_summary(self) -> None:
        cards = self.list.cards()
        count = self.tr("%n deal(s)", "", self.total)
        if not cards:
            self.summary.setText(count)
        elif self.total > len(cards):
            self.summary.setText(count + ", " + self.tr("%1 shown").replace("%1", str(len(cards))))
        else:
            amounts = formatting.money_sums((c.amount, c.currency) for c in cards)
            self.summary.setText(f"{count} · {amounts}" if amounts else count)


class BoardPanel(QWidget):
    open_requested = Signal(str, object, str)  # "deal", id, title

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        ctx.bus.changed.connect(self._on_bus_changed)
        self.pipeline = QComboBox()
        self.pipeline.setMinimumContentsLength(16)
        self.pipeline.activated.connect(self._on_pipeline_activated)
        # Both give way ("…", the whole line in the tooltip): at their full
        # width they made the window wider than a laptop's screen.
        self.totals = ElidedLabel()
        self.totals.setProperty("role", "muted")
        self.columns: list[StageColumn] = []
        self._row = QHBoxLayout()
        self._row.setSpacing(10)
        self._row.setContentsMargins(0, 0, 0, 0)
        holder = QWidget()
        holder.setLayout(self._row)
        self.board_area = QScrollArea()
        self.board_area.setWidgetResizable(True)
        self.board_area.setFrameShape(QFrame.Shape.NoFrame)
        self.board_area.setWidget(holder)
        self.keys_hint = ElidedLabel(
            self.tr("Enter opens the deal · %1 / %2 move it to the previous or next stage")
            .replace("%1", button_keys.key_name(PREVIOUS_STAGE))
            .replace("%2", button_keys.key_name(NEXT_STAGE))
        )
        self.keys_hint.setProperty("role", "muted")
        # The totals first: the hint (also in each card's tooltip) takes the
        # room they leave; it took its whole width and cut the sums to "20…".
        self.keys_hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.keys_hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        pipeline_label = QLabel(self.tr("&Pipeline"))
        pipeline_label.setBuddy(self.pipeline)
        top = QHBoxLayout()
        top.addWidget(pipeline_label)
        top.addWidget(self.pipeline)
        top.addSpacing(12)
        top.addWidget(self.totals)
        top.addWidget(self.keys_hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(top)
        layout.addWidget(self.board_area, 1)
        self._pipeline_id: int | None = None
        self._follow: int | None = None  # the deal the focus goes to after a reload
        # A deal moves without the mouse too: the arrows walk the columns,
        # Alt+arrows carry the chosen deal along (the drag's keyboard twin).
        for key, slot in (
            (NEXT_STAGE, lambda: self.move_current(1)),
            (PREVIOUS_STAGE, lambda: self.move_current(-1)),
            (QKeySequence("Right"), lambda: self.focus_column(1)),
            (QKeySequence("Left"), lambda: self.focus_column(-1)),
        ):
            shortcut = QShortcut(key, self.board_area)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- loading ------------------------------------------------------------

    def refresh(self) -> None:
        pipeline_id = self._pipeline_id
        self._work.read(
            lambda uow, actor: board_source.load(uow, actor, pipeline_id), self._on_loaded
        )

    def _on_bus_changed(self, changes: Changes) -> None:
        """Deals and their next steps, changed by anyone: shown when visible
        (the section reads itself again when it is opened)."""
        kinds = ("deal", "interaction", "pipeline", "stage")
        if self.isVisible() and any(changes.touches(kind) for kind in kinds):
            self.refresh()

    def _on_pipeline_activated(self, _index: int) -> None:
        self._pipeline_id = self.pipeline.currentData()
        self.refresh()

    def _on_loaded(self, data: Board) -> None:
        column = self.current_column()
        item = column.list.currentItem() if column is not None else None
        card = item.data(CARD_ROLE) if item is not None else None
        follow = self._follow or (card.id if card is not None else None)
        self._follow = None
        self._pipeline_id = data.pipeline_id
        self.pipeline.blockSignals(True)
        self.pipeline.clear()
        for pipeline in data.pipelines:
            self.pipeline.addItem(stage_name(pipeline.name), pipeline.id)
        self.pipeline.setCurrentIndex(max(0, self.pipeline.findData(data.pipeline_id)))
        self.pipeline.blockSignals(False)
        for column in self.columns:
            self._row.removeWidget(column)
            column.deleteLater()
        no_step = self.tr("No next step")
        self.columns = []
        for spec in data.columns:
            column = StageColumn(spec, no_step, keys_hint=self.keys_hint.text())
            column.list.deal_dropped.connect(self.move_deal)
            column.list.itemActivated.connect(self._on_card_activated)
            column.list.itemDoubleClicked.connect(self._on_card_activated)
            self._row.addWidget(column, 1)
            self.columns.append(column)
        self._update_totals()
        if follow is not None:  # the keyboard's place survives a reload
            self.focus_deal(follow)

    def _update_totals(self) -> None:
        open_columns = [col for col in self.columns if col.outcome is None]
        count = sum(col.total for col in open_columns)
        text = self.tr("%n open deal(s)", "", count)
        cards = [c for col in open_columns for c in col.list.cards()]
        amounts = formatting.money_sums((c.amount, c.currency) for c in cards)
        if amounts and len(cards) == count:
            text += " · " + amounts
        self.totals.setText(text)
        for column in self.columns:
            column.update_summary()

    def column_of_stage(self, stage_id: int) -> StageColumn | None:
        return next((c for c in self.columns if c.stage_id == stage_id), None)

    def column_of_deal(self, deal_id: int) -> StageColumn | None:
        return next(
            (c for c in self.columns if any(card.id == deal_id for card in c.list.cards())), None
        )

    def _on_card_activated(self, item: Any) -> None:
        card = item.data(CARD_ROLE)
        if card is not None:
            self.open_requested.emit("deal", card.id, card.title)

    # -- the keyboard -------------------------------------------------------

    def current_column(self) -> StageColumn | None:
        """The column whose list has the focus (where the keys act)."""
        focused = QApplication.focusWidget()
        return next((c for c in self.columns if c.list is focused), None)

    def focus_column(self, step: int) -> None:
        """The neighbouring column's card at the same height, or the column."""
        column = self.current_column()
        if column is None:
            return
        at = self.columns.index(column) + step
        if not 0 <= at < len(self.columns):
            return
        target = self.columns[at].list
        if target.count():
            target.setCurrentRow(min(max(column.list.currentRow(), 0), target.count() - 1))
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def move_current(self, step: int) -> None:
        """The chosen deal to the previous or next stage, as a drag there."""
        column = self.current_column()
        item = column.list.currentItem() if column is not None else None
        card = item.data(CARD_ROLE) if item is not None else None
        if column is None or card is None:
            return
        at = self.columns.index(column) + step
        if 0 <= at < len(self.columns):
            target = self.columns[at]
            self._follow = card.id  # the board may be read again meanwhile
            self.move_deal(card.id, target.stage_id)
            if target in self.columns:
                self.focus_deal(card.id)

    def focus_deal(self, deal_id: int) -> None:
        column = self.column_of_deal(deal_id)
        if column is None:
            return
        for row in range(column.list.count()):
            if column.list.item(row).data(Qt.ItemDataRole.UserRole) == deal_id:
                column.list.setCurrentRow(row)
        column.list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- moving -------------------------------------------------------------

    def move_deal(self, deal_id: int, stage_id: int) -> None:
        """Move the card at once; the service decides, a refusal puts it back."""
        source = self.column_of_deal(deal_id)
        target = self.column_of_stage(stage_id)
        if source is None or target is None or source is target:
            return
        taken = source.list.take_card(deal_id)
        if taken is None:
            return
        row, card = taken
        moved = dataclasses.replace(card, active=target.outcome is None)
        target.list.add_card(moved, 0)
        source.total -= 1
        target.total += 1
        target.list.setCurrentRow(0)
        self._update_totals()
        self._work.run(
            lambda db, actor: parties.move_deal(db, actor, deal_id, stage_id),
            lambda _deal: None,
            lambda exc: self._snap_back(exc, deal_id, source, row, card),
        )

    def _snap_back(
        self, exc: BaseException, deal_id: int, source: StageColumn, row: int, card: DealCard
    ) -> None:
        current = self.column_of_deal(deal_id)
        if current is not None:
            current.list.take_card(deal_id)
            current.total -= 1
        if source in self.columns:
            source.list.add_card(card, min(row, source.list.count()))
            source.total += 1
        self._update_totals()
        self._ctx.report_error(exc)
