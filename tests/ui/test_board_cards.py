"""A deal card on the board at a laptop's 1366x768: the next step's date, or
that there is none, beside an amount in millions. The Russian board read
"Нет след. ..." and "→ 17.12.2..." (cut); the card now says it shorter
before it cuts anything."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from services.core.storage import Database
from tests.ui.helpers import beside_the_sections, make_ctx
from ui.deals.board_panel import BoardPanel
from ui.deals.deal_list import DealCard, DealList


class RecordingPainter(QPainter):
    """A painter that keeps every text drawn through it."""

    def __init__(self, device: QImage) -> None:
        super().__init__(device)
        self.texts: list[str] = []

    def drawText(self, *args: Any) -> None:  # noqa: N802 - Qt override
        self.texts.append(str(args[-1]))
        super().drawText(*args)


def _drawn(cards: DealList, row: int) -> list[str]:
    item = cards.item(row)
    option = QStyleOptionViewItem()
    option.initFrom(cards.viewport())
    option.rect = cards.visualItemRect(item)
    option.font = cards.font()
    image = QImage(cards.viewport().size(), QImage.Format.Format_ARGB32)
    painter = RecordingPainter(image)
    try:
        cards.itemDelegate().paint(painter, option, cards.indexFromItem(item))
    finally:
        painter.end()
    return painter.texts


def test_a_card_says_its_next_step_in_full_or_shorter_never_cut(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    board = BoardPanel(make_ctx(sqlite_db))
    window = beside_the_sections(qtbot, board)
    board.refresh()
    assert len(board.columns) == 5  # Qualification … Lost: the default Sales pipeline
    cards = board.columns[0].list
    this_year = dt.date.today().year
    planned = dt.datetime(this_year, 12, 17, 10, 0, tzinfo=dt.UTC)
    shown = [
        (Decimal("4980000"), "RUB", None),
        (Decimal("13100000"), "KZT", planned),
        (Decimal("3270000"), "RUB", planned),
    ]
    more = [(Decimal("100"), "USD", None)] * 12  # a column longer than the screen: a scroll bar
    for n, (amount, currency, next_at) in enumerate(shown + more):
        cards.add_card(DealCard(n + 1, "Внедрение CRM", "ООО «Ромашка»", amount, currency, next_at))
    qtbot.wait(50)
    assert cards.verticalScrollBar().isVisible()
    bottoms = [_drawn(cards, row)[-1] for row in range(len(shown))]
    assert all("…" not in text and "..." not in text for text in bottoms), bottoms
    no_step = {"en": ("No next step", "No step"), "ru": ("Нет след. шага", "Без шага")}[language]
    assert bottoms[0] in no_step
    assert all(text.startswith("→ ") and "17" in text for text in bottoms[1:]), bottoms
    window.close()


def test_a_date_in_another_year_fits_beside_millions(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    """Next year's date kept its year and was cut ("→ 17 дек. 2027" read
    "→ 17.12.2..."): it is said shorter, with the year, before anything is cut."""
    board = BoardPanel(make_ctx(sqlite_db))
    window = beside_the_sections(qtbot, board)
    board.refresh()
    cards = board.columns[0].list
    year = dt.date.today().year + 1
    rows = [
        (Decimal("13100000"), "KZT", dt.datetime(year, 12, 17, 10, 0, tzinfo=dt.UTC)),
        (Decimal("3270000"), "RUB", dt.datetime(year + 2, 1, 5, 10, 0, tzinfo=dt.UTC)),
        (Decimal("980000000"), "RUB", dt.datetime(year - 3, 11, 30, 10, 0, tzinfo=dt.UTC)),
    ]
    more = [(Decimal("100"), "USD", None)] * 12  # a scroll bar takes its width, as at 1366
    for n, (amount, currency, next_at) in enumerate(rows + more):
        cards.add_card(DealCard(n + 1, "Поставка", "АО «Север»", amount, currency, next_at))
    qtbot.wait(50)
    assert cards.verticalScrollBar().isVisible()
    bottoms = [_drawn(cards, row)[-1] for row in range(len(rows))]
    assert all("…" not in text and "..." not in text for text in bottoms), bottoms
    for text, (_amount, _currency, next_at) in zip(bottoms, rows, strict=True):
        assert text.startswith("→ "), bottoms
        assert str(next_at.day) in text, bottoms
        assert f"{next_at.year % 100:02d}" in text, bottoms  # the year is kept
    window.close()
