"""The scenario editor's steps table names every column: the last one (AI,
"sends by itself") had an empty header, in both languages."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.core.storage import Database
from services.scenarios.store import StepSpec
from tests.ui.helpers import make_ctx
from ui.scenarios.scenario_editor import ScenarioEditor


def test_every_steps_column_has_a_name(qtbot: QtBot, sqlite_db: Database, language: str) -> None:
    editor = ScenarioEditor(make_ctx(sqlite_db))
    qtbot.addWidget(editor)
    editor.resize(1000, 600)
    editor.show()
    editor.load(None)
    table = editor.table
    names = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert all(name.strip() for name in names), names
    assert names[-1] == {"en": "Mode", "ru": "Режим"}[language]
    assert len(set(names)) == len(names)
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    for column, name in enumerate(names):  # each name shown whole
        assert metrics.horizontalAdvance(name) < header.sectionSize(column), name
    letter = StepSpec(type="email", delay_days=2, ai=True, auto_send=True, prompt="Напомни о КП")
    table.show_steps([StepSpec(type="call"), letter], 1)
    assert (
        table.item(1, 4).text()
        == {"en": "AI, sends by itself", "ru": "ИИ, отправляется сам"}[language]
    )
