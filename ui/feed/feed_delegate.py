"""Paints a feed row: a section header where a section starts, the type
badge, title and snippet on the left, time and owner on the right.
Cancelled rows are struck through and grey; overdue planned ones red."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from services.core.views import FeedItem, ScenarioStepTag
from ui.feed.feed_model import FeedModel
from ui.widgets import glyphs, labels, timefmt

Index = QModelIndex | QPersistentModelIndex

HEADER = 30
PAD_X = 14
PAD_Y = 9
BADGE = 30
GAP = 12
LOADING = 38
OVERDUE = QColor("#c62828")


class FeedDelegate(QStyledItemDelegate):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # sizeHint runs for every row on every layout: build fonts and
        # metrics once per base font, not per call (was 6k font builds a scroll)
        self._font_cache: dict[str, tuple[QFont, QFont, QFont]] = {}
        self._height_cache: dict[str, int] = {}

    # --- fonts ----------------------------------------------------------------------

    def _fonts(self, base: QFont) -> tuple[QFont, QFont, QFont]:
        key = base.key()
        cached = self._font_cache.get(key)
        if cached is None:
            cached = self._font_cache[key] = self._make_fonts(base)
        return cached

    @staticmethod
    def _make_fonts(base: QFont) -> tuple[QFont, QFont, QFont]:
        title = QFont(base)
        title.setWeight(QFont.Weight.DemiBold)
        small = QFont(base)
        small.setPointSizeF(max(7.5, base.pointSizeF() * 0.92))
        header = QFont(base)
        header.setPointSizeF(max(7.0, base.pointSizeF() * 0.82))
        header.setWeight(QFont.Weight.Bold)
        header.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
        header.setCapitalization(QFont.Capitalization.AllUppercase)
        return title, small, header

    def _body_height(self, base: QFont) -> int:
        key = base.key()
        height = self._height_cache.get(key)
        if height is None:
            title, small, _ = self._fonts(base)
            height = PAD_Y * 2 + QFontMetrics(title).height() + 3 + QFontMetrics(small).height()
            self._height_cache[key] = height
        return height

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        width = option.rect.width() if option.rect.width() > 0 else 400
        if index.data(FeedModel.SectionRole) == "loading":
            return QSize(width, LOADING)
        height = max(self._body_height(option.font), BADGE + PAD_Y * 2)
        if index.data(FeedModel.SectionStartRole):
            height += HEADER
        return QSize(width, height)

    # --- painting -------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = option.palette
        rect = QRect(option.rect)
        section = index.data(FeedModel.SectionRole)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        if section == "loading":
            font = QFont(option.font)
            font.setItalic(True)
            painter.setFont(font)
            painter.setPen(muted)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, index.data() or "")
            painter.restore()
            return
        item: FeedItem = index.data(FeedModel.ItemRole)
        title_font, small_font, header_font = self._fonts(option.font)
        if index.data(FeedModel.SectionStartRole):
            self._paint_header(
                painter,
                QRect(rect.left(), rect.top(), rect.width(), HEADER),
                section,
                header_font,
                palette,
            )
            rect.setTop(rect.top() + HEADER)
        self._paint_background(painter, option, rect, item, bool(index.data(FeedModel.OverdueRole)))
        cancelled = item.state == "cancelled"
        planned = item.state == "planned"
        overdue = bool(index.data(FeedModel.OverdueRole))
        badge = QRectF(rect.left() + PAD_X, rect.center().y() - BADGE / 2 + 0.5, BADGE, BADGE)
        glyphs.paint_badge(painter, badge, item.type, muted=cancelled, ring=planned)

        model = index.model()
        zone = model.display_zone if isinstance(model, FeedModel) else None
        now = model.clock() if isinstance(model, FeedModel) else None
        when, city = timefmt.when_parts(item.start, zone, now)
        if overdue:
            when = self.tr("Overdue · %1").replace("%1", when)
        elif cancelled:
            when = self.tr("Cancelled · %1").replace("%1", when)
        owner = index.data(FeedModel.OwnerNameRole) or ""

        text_color = palette.color(QPalette.ColorRole.Text)
        left = int(badge.right()) + GAP
        right = rect.right() - PAD_X
        fm_title, fm_small = QFontMetrics(title_font), QFontMetrics(small_font)
        line1 = QRect(left, rect.top() + PAD_Y, right - left, fm_title.height())
        line2 = QRect(left, line1.bottom() + 4, right - left, fm_small.height())

        # right column first: the title gets what is left; the city of a
        # time in another zone than the user's goes after it, quieter
        painter.setFont(small_font)
        right_aligned = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        city_width = fm_small.horizontalAdvance(" " + city) if city else 0
        if city:
            painter.setPen(muted)
            painter.drawText(line1, right_aligned, city)
        when_width = fm_small.horizontalAdvance(when) + city_width
        painter.setPen(OVERDUE if overdue else (muted if cancelled else text_color))
        painter.drawText(line1.adjusted(0, 0, -city_width, 0), right_aligned, when)
        owner_text = fm_small.elidedText(owner, Qt.TextElideMode.ElideRight, 180)
        owner_width = fm_small.horizontalAdvance(owner_text) if owner_text else 0
        painter.setPen(muted)
        painter.drawText(
            line2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, owner_text
        )

        title = model.title_of(item) if isinstance(model, FeedModel) else str(index.data())
        if cancelled:
            # the cached fonts are shared by every row: strike a copy, or the
            # next row painted inherits the line
            title_font, small_font = QFont(title_font), QFont(small_font)
            title_font.setStrikeOut(True)
            small_font.setStrikeOut(True)
        painter.setFont(title_font)
        painter.setPen(muted if cancelled else text_color)
        room = line1.width() - when_width - GAP
        painter.drawText(
            line1,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(title_font).elidedText(title, Qt.TextElideMode.ElideRight, max(room, 0)),
        )

        text = model.text_of(item) if isinstance(model, FeedModel) else item.text or ""
        step = index.data(FeedModel.ScenarioRole)
        snippet = self._with_step(self._snippet(item, title, text), step)
        painter.setFont(small_font)
        painter.setPen(muted)
        room = line2.width() - owner_width - (GAP if owner_width else 0)
        painter.drawText(
            line2,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(small_font).elidedText(snippet, Qt.TextElideMode.ElideRight, max(room, 0)),
        )

        line = palette.color(QPalette.ColorRole.Mid)
        line.setAlpha(70)
        painter.setPen(line)
        painter.drawLine(left, rect.bottom(), rect.right(), rect.bottom())
        painter.restore()

    def _with_step(self, snippet: str, step: ScenarioStepTag | None) -> str:
        """ "«New client», step 2 of 5 · Email · …": which run it belongs to."""
        if step is None:
            return snippet
        where = labels.scenario_step(step)
        return self.tr("%1 · %2").replace("%1", where).replace("%2", snippet) if snippet else where

    def _snippet(self, item: FeedItem, title: str, text: str) -> str:
        text = " ".join(text.split())
        if item.kind == "interaction" and title != labels.type_label(item.type):
            kind = labels.type_label(item.type)
            return self.tr("%1 · %2").replace("%1", kind).replace("%2", text) if text else kind
        if item.kind == "task" and not text:
            return self.tr("Task")
        return text

    def _paint_header(
        self, painter: QPainter, rect: QRect, section: str, font: QFont, palette: QPalette
    ) -> None:
        background = palette.color(QPalette.ColorRole.Window)
        painter.fillRect(rect, background)
        painter.setFont(font)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(muted)
        text = self.tr("Planned") if section == "planned" else self.tr("History")
        inner = rect.adjusted(PAD_X, 8, -PAD_X, 0)
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        line = palette.color(QPalette.ColorRole.Mid)
        line.setAlpha(90)
        painter.setPen(line)
        painter.drawLine(rect.left(), rect.bottom(), rect.right(), rect.bottom())

    @staticmethod
    def _paint_background(
        painter: QPainter,
        option: QStyleOptionViewItem,
        rect: QRect,
        item: FeedItem,
        overdue: bool,
    ) -> None:
        palette = option.palette
        base = palette.color(QPalette.ColorRole.Base)
        painter.fillRect(rect, base)
        state = option.state
        highlight = palette.color(QPalette.ColorRole.Highlight)
        if state & QStyle.StateFlag.State_Selected:
            tint = QColor(highlight)
            tint.setAlpha(48)
            painter.fillRect(rect, tint)
        elif state & QStyle.StateFlag.State_MouseOver:
            tint = QColor(highlight)
            tint.setAlpha(16)
            painter.fillRect(rect, tint)
        elif item.state == "planned":
            tint = QColor(highlight)
            tint.setAlpha(9)
            painter.fillRect(rect, tint)
        if overdue:
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), OVERDUE)
        elif state & QStyle.StateFlag.State_Selected:
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), highlight)
