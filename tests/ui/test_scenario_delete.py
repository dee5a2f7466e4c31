"""Settings → Scenarios: deleting a scenario asks first, can be undone, and
is offered only to its author or an administrator."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.core.storage import Database
from services.scenarios import use_cases as scenario_cases
from tests.conftest import Team
from tests.integration.scenario_helpers import make_chain
from tests.ui.helpers import answer, make_ctx
from ui.settings.settings_panel import SettingsPanel


def _page(qtbot: QtBot, db: Database, login: str | None = None) -> SettingsPanel:
    panel = SettingsPanel(make_ctx(db, login=login))
    qtbot.addWidget(panel)
    panel.resize(1366, 768)
    panel.show()
    panel.tabs.setCurrentWidget(panel.scenarios_page)
    return panel


def _names(panel: SettingsPanel) -> list[str]:
    table = panel.scenarios_page.list
    return [table.item(r, 0).text().split("\n")[0] for r in range(table.rowCount())]


def test_deleting_asks_then_undo_brings_the_scenario_back(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    admin = sqlite_team.admin
    make_chain(sqlite_db, admin, "Новый клиент")
    make_chain(sqlite_db, admin, "Прощание")
    panel = _page(qtbot, sqlite_db)
    page = panel.scenarios_page
    assert _names(panel) == ["Новый клиент", "Прощание"]
    assert page.editor.current is not None
    assert page.editor.current.name == "Новый клиент"
    assert page.delete_button.isEnabled()

    page.delete_button.click()  # cancelled: nothing happens
    box = page.confirm_box
    assert box is not None
    assert "Новый клиент" in box.text()
    answer(box, yes=False)
    assert _names(panel) == ["Новый клиент", "Прощание"]

    page.delete_button.click()
    box = page.confirm_box
    assert box is not None
    answer(box, yes=True)
    assert _names(panel) == ["Прощание"]
    assert page.editor.current is not None
    assert page.editor.current.name == "Прощание"
    assert [v.name for v in scenario_cases.list_scenarios(sqlite_db, admin)] == ["Прощание"]
    assert page.undo_bar.isVisible()
    assert "Новый клиент" in page.undo_bar.message.text()

    page.undo_bar.undo_button.click()
    assert _names(panel) == ["Новый клиент", "Прощание"]
    assert len(scenario_cases.list_scenarios(sqlite_db, admin)) == 2


def test_a_manager_may_not_delete_a_colleagues_scenario(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    make_chain(sqlite_db, sqlite_team.admin, "Новый клиент")
    panel = _page(qtbot, sqlite_db, login=sqlite_team.anna.login)
    page = panel.scenarios_page
    assert page.editor.current is not None
    assert not page.delete_button.isEnabled()


def test_on_a_laptop_replica_the_scenarios_are_shown_read_only_with_a_line_saying_why(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    from services.sync import state

    make_chain(sqlite_db, sqlite_team.admin, "Новый клиент")
    with sqlite_db.uow() as uow:  # this file is now a laptop's offline copy (#20)
        state.put(uow.session, "node", "laptop1")
        uow.commit()
    panel = _page(qtbot, sqlite_db)
    page = panel.scenarios_page
    assert _names(panel) == ["Новый клиент"]
    assert page.offline_note.isVisible()
    assert "edited on the server" in page.offline_note.text()
    assert not page.new_button.isEnabled()
    assert not page.delete_button.isEnabled()
    assert not page.archived_button.isEnabled()
    editor = page.editor
    assert editor.current is not None
    assert not editor.save_button.isEnabled()
    assert not editor.name.isEnabled()
    assert editor.read_only_note.text() == page.offline_note.text()
