"""The card's "Fields…" button: its menu arrow sat over the caption's
"…" ("Поля…˯"); the button now leaves room for the arrow."""

from __future__ import annotations

from PySide6.QtWidgets import QStyle, QStyleOptionToolButton
from pytestqt.qtbot import QtBot

from services.core.storage import Database
from tests.ui.helpers import make_ctx
from ui.cards.fields_section import FieldsSection


def test_the_fields_button_has_room_for_its_caption_and_arrow(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    section = FieldsSection(make_ctx(sqlite_db))
    qtbot.addWidget(section)
    section.show()
    button = section.choose
    option = QStyleOptionToolButton()
    button.initStyleOption(option)
    arrow = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option, button)
    text = button.fontMetrics().horizontalAdvance(button.text())
    assert button.sizeHint().width() >= text + arrow + 8
