"""Settings → Scenarios → "Deleted…": the deleted scenarios are listed and
one comes back with Restore; a deleted scenario's name is free for a new
one, and restoring into it is refused with the service's clear message,
the scenario staying in the list."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.scenarios import use_cases as scenario_cases
from services.scenarios.store import StepSpec
from tests.ui.helpers import make_ctx
from ui.settings.settings_panel import SettingsPanel


def _names(panel: SettingsPanel) -> list[str]:
    table = panel.scenarios_page.list
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def test_deleted_scenarios_are_listed_and_restored_unless_the_name_is_taken(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    with sqlite_db.reader() as uow:
        admin = bootstrap.actor_for(uow)
    greeting = scenario_cases.add_scenario(sqlite_db, admin, "Приветствие", [StepSpec("call")])
    reminder = scenario_cases.add_scenario(sqlite_db, admin, "Напоминание", [StepSpec("call")])
    scenario_cases.archive_scenario(sqlite_db, admin, greeting.value.id)
    scenario_cases.archive_scenario(sqlite_db, admin, reminder.value.id)
    scenario_cases.add_scenario(sqlite_db, admin, "Приветствие", [StepSpec("call")])  # name free
    ctx = make_ctx(sqlite_db)
    panel = SettingsPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.tabs.setCurrentWidget(panel.scenarios_page)
    page = panel.scenarios_page
    assert _names(panel) == ["Приветствие"]

    page.archived_button.click()
    dialog = page.archived_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert sorted(dialog.names()) == ["Напоминание", "Приветствие"]
    assert not dialog.restore_button.isEnabled()

    dialog.list.setCurrentRow(dialog.names().index("Приветствие"))
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: len(ctx.errors) == 1)  # type: ignore[attr-defined]
    assert "A scenario named 'Приветствие' already exists" in str(ctx.errors[0])  # type: ignore[attr-defined]
    assert sorted(dialog.names()) == ["Напоминание", "Приветствие"]

    dialog.list.setCurrentRow(dialog.names().index("Напоминание"))
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.names() == ["Приветствие"])
    assert sorted(_names(panel)) == ["Напоминание", "Приветствие"]
    assert page.editor.current is not None
    assert page.editor.current.name == "Напоминание"
