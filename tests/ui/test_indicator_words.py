"""The card's "Last contact" says the day once: "today" above, then
"13:40 · Call", not "Today, 13:40 · Call" under "today" (the same for
yesterday). Further back the date stays beside the time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot

from ui.cards.indicators import IndicatorsPanel, IndicatorValues

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)  # 15:00 in Moscow


def _panel(qtbot: QtBot, last: dt.datetime) -> IndicatorsPanel:
    panel = IndicatorsPanel()
    qtbot.addWidget(panel)
    panel.clock = lambda: NOW
    panel.set_values(IndicatorValues(last_contact=last, last_type="call"), "Europe/Moscow")
    return panel


def test_today_is_said_once(qtbot: QtBot, english: None) -> None:
    panel = _panel(qtbot, dt.datetime(2026, 12, 7, 13, 40, tzinfo=MOSCOW))
    assert panel.text_of("last_contact") == "today"
    assert panel.detail_labels["last_contact"].text() == "13:40 · Call"


def test_yesterday_in_russian_too(qtbot: QtBot, russian: None) -> None:
    panel = _panel(qtbot, dt.datetime(2026, 12, 6, 9, 5, tzinfo=MOSCOW))
    assert panel.text_of("last_contact") == "вчера"
    assert panel.detail_labels["last_contact"].text() == "09:05 · Звонок"


def test_an_older_contact_keeps_its_date(qtbot: QtBot, english: None) -> None:
    panel = _panel(qtbot, dt.datetime(2026, 12, 2, 9, 5, tzinfo=MOSCOW))
    assert panel.text_of("last_contact") == "5 days ago"
    detail = panel.detail_labels["last_contact"].text()
    assert detail.endswith("09:05 · Call")
    assert "2" in detail.split("09:05")[0]  # the day is named
