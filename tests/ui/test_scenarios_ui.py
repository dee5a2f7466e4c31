"""Scenarios through the widgets, on a real SQLite file: an administrator
builds a chain in Settings → Scenarios (steps added, edited, reordered by
buttons and keys, duplicated, removed and brought back), sees its dates for
a client, applies it from a card and from the interaction dialog, and
cancels the run from the card."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from services.core.storage import Database
from services.feed import pages as feed
from services.scenarios import use_cases as scenario_cases
from services.scenarios.store import StepSpec
from tests.conftest import Team
from tests.integration.scenario_helpers import CHAIN, make_card, make_chain
from tests.ui.helpers import answer, make_ctx
from ui.cards.card_widget import CardWidget
from ui.dialogs.interaction_dialog import InteractionDialog
from ui.scenarios.apply_dialog import ApplyScenarioDialog
from ui.settings.settings_panel import SettingsPanel


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


def _page(qtbot: QtBot, db: Database, login: str | None = None) -> SettingsPanel:
    panel = SettingsPanel(make_ctx(db, login=login))
    qtbot.addWidget(panel)
    panel.resize(1366, 768)
    panel.show()
    panel.tabs.setCurrentWidget(panel.scenarios_page)
    return panel


def _steps(panel: SettingsPanel) -> list[str]:
    table = panel.scenarios_page.editor.table
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def test_an_empty_library_says_what_a_scenario_is(qtbot: QtBot, sqlite_db: Database) -> None:
    panel = _page(qtbot, sqlite_db)
    page = panel.scenarios_page
    assert page.loaded
    assert page.stack.currentWidget() is page.empty
    assert page.empty.title.text() == "No scenarios yet"
    page.empty.button.click()
    assert page.stack.currentIndex() == 1
    assert page.editor.empty_steps.isVisible()


def test_an_admin_builds_reorders_and_saves_a_chain(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    card = make_card(sqlite_db, sqlite_team.admin)
    panel = _page(qtbot, sqlite_db)
    page = panel.scenarios_page
    editor = page.editor
    page.new_scenario()
    editor.name.setText("Первая встреча")
    editor.description.setText("Письмо, звонок, встреча")
    # three steps: a letter sent by itself, a call, a meeting
    editor.add_step()
    form = editor.form
    form.type_combo.setCurrentIndex(form.type_combo.findData("email"))
    form.subject.setText("Знакомство: {{ client.name }}")
    form.subject.textEdited.emit(form.subject.text())
    form.prompt.setPlainText("Здравствуйте, {{ contact.first_name }}!")
    form.auto_send.setChecked(True)
    editor.add_step()
    form.type_combo.setCurrentIndex(form.type_combo.findData("call"))
    assert not form.auto_send.isEnabled()  # only a letter sends itself
    form.delay.setValue(2)
    editor.add_step()
    form.type_combo.setCurrentIndex(form.type_combo.findData("meeting"))
    form.delay.setValue(3)
    assert _steps(panel) == ["1. Email", "2. Call", "3. Meeting"]
    # keyboard: Alt+Up moves the meeting before the call
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert _steps(panel) == ["1. Email", "2. Meeting", "3. Call"]
    editor.down_button.click()
    assert _steps(panel) == ["1. Email", "2. Call", "3. Meeting"]
    # duplicate with Ctrl+D, remove with Delete, and undo the removal
    editor.table.selectRow(1)
    qtbot.keyClick(editor.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert _steps(panel) == ["1. Email", "2. Call", "3. Call", "4. Meeting"]
    qtbot.keyClick(editor.table, Qt.Key.Key_Delete)
    assert _steps(panel) == ["1. Email", "2. Call", "3. Meeting"]
    assert editor.undo_bar.isVisible()
    assert editor.undo_bar.message.text() == "Step 3 removed."
    editor.undo_bar.undo_button.click()
    assert _steps(panel) == ["1. Email", "2. Call", "3. Call", "4. Meeting"]
    editor.table.selectRow(2)
    editor.remove_button.click()
    editor.undo_bar.dismiss()
    editor.save()
    assert not panel._ctx.errors  # type: ignore[attr-defined]
    saved = scenario_cases.list_scenarios(sqlite_db, sqlite_team.admin)
    assert [s.name for s in saved] == ["Первая встреча"]
    assert [(s.type, s.delay_days, s.auto_send) for s in saved[0].steps] == [
        ("email", 0, True),
        ("call", 2, False),
        ("meeting", 3, False),
    ]
    assert page.list.rowCount() == 1
    assert page.list.item(0, 0).text() == "Первая встреча\nПисьмо, звонок, встреча"
    assert not editor.dirty()
    # the chain's real dates for a client
    editor.preview.show_for(card.client_id)
    lines = [editor.preview.dates.item(i).text() for i in range(editor.preview.dates.count())]
    assert len(lines) == 3
    assert lines[1].startswith("2. Call")
    assert lines[0].endswith("(Moscow)")  # the zone by its city, as the card names it
    assert editor.preview.note.text() == "If applied now:"
    # an edit not saved yet: the dates say they are the saved chain's
    editor.table.selectRow(1)
    editor.form.delay.setValue(5)
    assert editor.dirty()
    assert editor.preview.note.text().startswith("The dates are those of the saved chain")
    editor.revert_button.click()
    assert not editor.dirty()


def test_a_broken_step_is_said_next_to_it_and_nothing_is_saved(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    panel = _page(qtbot, sqlite_db)
    editor = panel.scenarios_page.editor
    panel.scenarios_page.new_scenario()
    editor.name.setText("Сломанный")
    editor.add_step()
    editor.add_step()
    form = editor.form
    form.type_combo.setCurrentIndex(form.type_combo.findData("email"))
    form.subject.setText("Привет {{ client.nonexistent_thing }")
    form.subject.textEdited.emit(form.subject.text())
    editor.table.selectRow(0)
    editor.save()
    # the page went to step 2 and says what is wrong there
    assert editor.chosen() == 1
    assert form.hint.is_error
    assert form.hint.text().startswith("Step 2:")
    assert scenario_cases.list_scenarios(sqlite_db, panel._ctx.actor, include_inactive=True) == []


def test_apply_from_a_card_shows_the_dates_first_and_cancel_run(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, ui_settings: QSettings
) -> None:
    admin = sqlite_team.admin
    card_ids = make_card(sqlite_db, admin)
    chain = make_chain(sqlite_db, admin)
    make_chain(sqlite_db, admin, "Спящий", active=False)
    ctx = make_ctx(sqlite_db)
    card = CardWidget(ctx, "client", card_ids.client_id, settings=ui_settings)
    qtbot.addWidget(card)
    card.resize(1366, 768)
    card.show()
    assert card.runs.empty.isVisible()
    dialog = card.runs.open_apply()
    assert dialog is not None
    # only active scenarios are offered; the dates show before anything is saved
    assert [dialog.scenario.itemText(i) for i in range(dialog.scenario.count())] == ["Новый клиент"]
    assert dialog.contact.currentData() == card_ids.contact_id
    assert dialog.dates.count() == len(CHAIN)
    assert scenario_cases.list_runs(sqlite_db, admin) == []
    dialog.apply_button.click()
    runs = scenario_cases.list_runs(sqlite_db, admin, client_id=card_ids.client_id)
    assert [r.scenario_id for r in runs] == [chain]
    # the bus refreshed the card: the run shows, and the feed has the planned steps
    assert len(card.runs.runs) == 1
    assert not card.runs.empty.isVisible()
    with sqlite_db.reader() as uow:
        page = feed.page(uow, admin, feed.FeedScope(client_id=card_ids.client_id))
    planned = [i for i in page.items if i.state == "planned"]
    assert len(planned) == len(CHAIN)
    assert card.feed.model.rowCount() >= len(CHAIN)
    # each planned step says which scenario and step it is
    model = card.feed.model
    delegate = card.feed.list.itemDelegate()
    seconds = [
        delegate._with_step("Call", model.data(model.index(row), model.ScenarioRole))
        for row in range(model.rowCount())
        if model.data(model.index(row), model.ScenarioRole) is not None
    ]
    assert len(seconds) == len(CHAIN)
    assert "«Новый клиент», step 2 of 5 · Call" in seconds
    # cancel the run, after a confirmation
    card.runs.ask_cancel(card.runs.runs[0])
    box = card.runs.confirm_box
    assert box is not None
    assert "Новый клиент" in box.text()
    answer(box, yes=True)
    assert card.runs.runs == []
    run = scenario_cases.get_run(sqlite_db, admin, runs[0].id)
    assert run.state == "cancelled"
    assert not ctx.errors  # type: ignore[attr-defined]


def test_apply_needs_a_contact_person_and_an_active_scenario(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    from services.parties import records as parties

    admin = sqlite_team.admin
    with sqlite_db.uow(admin.id) as uow:
        lonely = parties.add_client(uow, admin, "ИП Одиночка", region="RU")
        uow.commit()
    dialog = ApplyScenarioDialog(make_ctx(sqlite_db), lonely.id)
    qtbot.addWidget(dialog)
    assert not dialog.apply_button.isEnabled()
    assert "No active scenarios" in dialog.hint.text()
    make_chain(sqlite_db, admin)
    dialog = ApplyScenarioDialog(make_ctx(sqlite_db), lonely.id)
    qtbot.addWidget(dialog)
    assert not dialog.apply_button.isEnabled()
    assert "no contact persons" in dialog.hint.text()


def test_apply_from_the_interaction_dialog_with_client_and_contact(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    admin = sqlite_team.admin
    card_ids = make_card(sqlite_db, admin)
    make_chain(sqlite_db, admin)
    dialog = InteractionDialog(make_ctx(sqlite_db), client_id=card_ids.client_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.scenario_button.isVisible()
    assert not dialog.scenario_button.isEnabled()  # no contact person ticked yet
    item = dialog.contacts.item(0)
    item.setCheckState(Qt.CheckState.Checked)
    assert dialog.scenario_button.isEnabled()
    dialog.scenario_button.click()
    chooser = dialog.scenario_dialog
    assert chooser.contact.currentData() == card_ids.contact_id
    assert chooser.dates.count() == len(CHAIN)
    chooser.apply_button.click()
    assert not dialog.isVisible()  # the chain replaced the one interaction
    assert len(scenario_cases.list_runs(sqlite_db, admin, client_id=card_ids.client_id)) == 1


def test_a_manager_cannot_change_someone_elses_scenario(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    scenario_cases.add_scenario(
        sqlite_db, sqlite_team.admin, "Админский", [StepSpec("call", 0, 600, "Звонок")]
    )
    panel = _page(qtbot, sqlite_db, login="anna")
    editor = panel.scenarios_page.editor
    assert editor.current is not None
    assert not editor.editable
    assert not editor.name.isEnabled()
    assert not editor.add_button.isEnabled()
    assert not editor.save_button.isEnabled()
    assert "Someone else's scenario" in editor.read_only_note.text()


def test_a_type_added_meanwhile_is_offered_and_the_edit_stays(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    panel = _page(qtbot, sqlite_db)
    editor = panel.scenarios_page.editor
    panel.scenarios_page.new_scenario()
    editor.name.setText("Выезды")
    editor.add_step()
    editor.form.delay.setValue(4)
    panel.tabs.setCurrentWidget(panel.types_page)
    panel.types_page.add_type("Site visit", "Выезд на объект")
    panel.tabs.setCurrentWidget(panel.scenarios_page)
    assert editor.form.type_combo.findData("site_visit") >= 0
    assert editor.name.text() == "Выезды"
    assert editor.form.delay.value() == 4
    assert editor.steps[0].delay_days == 4


def test_a_contacts_card_shows_its_runs_and_a_paused_run_resumes(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, ui_settings: QSettings
) -> None:
    from sqlalchemy import update

    from models import ScenarioRun
    from services.parties import records as parties

    admin = sqlite_team.admin
    ids = make_card(sqlite_db, admin)
    with sqlite_db.uow(admin.id) as uow:
        other = parties.add_contact(uow, admin, "Петрова Анна Сергеевна", client_id=ids.client_id)
        uow.commit()
    run = scenario_cases.apply_scenario(
        sqlite_db, admin, make_chain(sqlite_db, admin), ids.client_id, ids.contact_id
    ).value
    with sqlite_db.uow(admin.id) as uow:  # as a reply from the contact leaves it
        uow.session.execute(
            update(ScenarioRun)
            .where(ScenarioRun.id == run.id)
            .values(state="paused", stop_reason="paused: ivanov@romashka.ru replied")
        )
        uow.commit()
    ctx = make_ctx(sqlite_db)
    theirs = CardWidget(ctx, "contact", ids.contact_id, settings=ui_settings)
    qtbot.addWidget(theirs)
    assert [r.id for r in theirs.runs.runs] == [run.id]
    assert theirs.runs.next_step_text(theirs.runs.runs[0]) == "paused: the contact replied"
    resume = theirs.runs.findChild(QPushButton, f"resumeRun{run.id}")
    assert resume is not None
    resume.click()
    assert scenario_cases.get_run(sqlite_db, admin, run.id).state == "active"
    assert theirs.runs.findChild(QPushButton, f"resumeRun{run.id}") is None
    assert theirs.runs.next_step_text(theirs.runs.runs[0]).startswith("next: Email")
    # the other contact person's card has no run, and can apply one for her
    hers = CardWidget(ctx, "contact", other.id, settings=ui_settings)
    qtbot.addWidget(hers)
    assert hers.runs.runs == []
    assert hers.runs.empty.text() == "No scenario running."
    dialog = hers.runs.open_apply()
    assert dialog is not None
    assert dialog.contact.currentData() == other.id
    dialog.reject()
    assert not ctx.errors  # type: ignore[attr-defined]
