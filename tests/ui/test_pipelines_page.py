"""Settings → Pipelines through the widgets, on a real SQLite file: an
administrator adds a pipeline, names, orders (Alt+Up/Down) and removes its
stages, sets the next-step rule, and the deals board shows the change; names
are checked as typed (Cyrillic in any case); a manager sees it read-only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import delete

from models import Pipeline, Stage, User
from services.core import bootstrap
from services.core import history as core_history
from services.core.access import PermissionDenied
from services.core.storage import Database
from services.parties import deals, pipeline_history
from services.parties import pipelines as pipes
from tests.conftest import Team
from tests.integration.helpers import client
from tests.ui.helpers import make_ctx
from ui.context import UiContext
from ui.deals.board_panel import BoardPanel
from ui.settings.pipelines_page import PipelinesPage
from ui.settings.settings_panel import SettingsPanel


def _page(qtbot: QtBot, ctx: UiContext) -> tuple[SettingsPanel, PipelinesPage]:
    panel = SettingsPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    panel.tabs.setCurrentWidget(panel.pipelines_page)
    page = panel.pipelines_page
    assert page.loaded
    return panel, page


def _type(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Types as a user; Cyrillic through insert (the offscreen keyboard has no
    layout for it), the rest as key clicks."""
    edit.setFocus()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(edit, char)
        else:
            edit.insert(char)


def _answer(page: PipelinesPage, question: str, *, remove: bool) -> None:
    """An empty stage goes only after a question (it went at one click)."""
    box = page.confirm_box
    assert box is not None
    assert box.isVisible()
    assert box.text() == question
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert box.textFormat() == Qt.TextFormat.PlainText  # the stage's name
    chosen = [b for b in box.buttons() if b.text() == "Remove stage"] if remove else []
    (chosen[0] if remove else box.button(QMessageBox.StandardButton.Cancel)).click()


def _stages(page: PipelinesPage) -> list[str]:
    return [page.stages.item(i).text() for i in range(page.stages.count())]


def _stored(db: Database, name: str) -> pipes.PipelineView:
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        return next(p for p in pipes.pipelines(uow, actor) if p.name == name)


def test_an_admin_sets_up_a_pipeline_and_the_board_follows(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    ctx = make_ctx(sqlite_db)
    board = BoardPanel(ctx)
    qtbot.addWidget(board)
    board.show()
    board.refresh()
    _panel, page = _page(qtbot, ctx)

    _type(qtbot, page.new_name, "sales")  # "Sales" exists: refused as typed
    assert not page.new_button.isEnabled()
    assert "Sales" in page.problem.text()
    page.new_name.clear()
    _type(qtbot, page.new_name, "Оптовые продажи")
    assert page.new_button.isEnabled()
    assert not page.problem.isVisible()
    qtbot.keyClick(page.new_name, Qt.Key.Key_Return)
    assert page.pipeline.currentText() == "Оптовые продажи"
    assert _stages(page) == ["New"]

    for name in ("Переговоры", "Счёт"):
        _type(qtbot, page.stage_name, name)
        qtbot.keyClick(page.stage_name, Qt.Key.Key_Return)
    assert _stages(page) == ["New", "Переговоры", "Счёт"]
    _type(qtbot, page.stage_name, "СЧЕТ")  # the same stage in other case, ё as е
    assert not page.add_stage_button.isEnabled()
    assert "Счёт" in page.problem.text()
    page.stage_name.clear()

    page.stages.setCurrentRow(2)
    page.stages.setFocus()
    qtbot.keyClick(page.stages, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert _stages(page) == ["New", "Счёт", "Переговоры"]
    assert page.stages.currentItem().text() == "Счёт"
    qtbot.keyClick(page.stages, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert _stages(page) == ["New", "Переговоры", "Счёт"]

    page.stages.setCurrentRow(0)
    _type(qtbot, page.stage_name, "Заявка")
    page.rename_stage_button.click()
    page.requires_check.click()
    page.name_edit.setText("Опт")
    page.rename_button.click()
    assert not ctx.errors  # type: ignore[attr-defined]

    stored = _stored(sqlite_db, "Опт")
    assert [s.name for s in stored.stages] == ["Заявка", "Переговоры", "Счёт"]
    assert stored.requires_planned

    # the board offers the new pipeline and shows its stages as columns
    index = board.pipeline.findText("Опт")
    assert index >= 0
    board.pipeline.setCurrentIndex(index)
    board.pipeline.activated.emit(index)
    assert [c.title.text() for c in board.columns] == ["Заявка", "Переговоры", "Счёт"]
    page.stages.setCurrentRow(2)
    page.remove_button.click()
    _answer(page, "Remove the stage «Счёт» from «Опт»? No deal is in it.", remove=False)
    assert [c.title.text() for c in board.columns] == ["Заявка", "Переговоры", "Счёт"]
    page.remove_button.click()
    _answer(page, "Remove the stage «Счёт» from «Опт»? No deal is in it.", remove=True)
    assert [c.title.text() for c in board.columns] == ["Заявка", "Переговоры"]


def test_a_stage_with_deals_is_not_removed(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    cid = client(sqlite_db)
    with sqlite_db.uow() as uow:
        deals.add_deal(uow, bootstrap.actor_for(uow), "Поставка труб", client_id=cid)
        uow.commit()
    ctx = make_ctx(sqlite_db)
    _panel, page = _page(qtbot, ctx)
    page.stages.setCurrentRow(0)
    assert page.stages.item(0).text().endswith({"en": "1 deal", "ru": "1 сделка"}[language])
    # the button is off and says why (it was on, and the click ended in a refusal)
    assert not page.remove_button.isEnabled()
    assert (
        page.remove_button.toolTip()
        == {
            "en": "1 deal is in this stage; move it first",
            "ru": "В этом этапе 1 сделка: сначала перенесите её",
        }[language]
    )
    page.remove_button.click()
    assert ctx.errors == []  # type: ignore[attr-defined]
    page.stages.setCurrentRow(1)  # an empty stage: on, no reason shown
    assert page.remove_button.isEnabled()
    assert page.remove_button.toolTip() == ""
    assert page.stages.count() == 5


def test_a_stage_given_deals_after_the_page_loaded_is_still_refused(
    qtbot: QtBot, sqlite_db: Database, english: None
) -> None:
    """The service keeps its refusal: a colleague put two deals in the stage
    after the page counted none; the page then shows the count."""
    cid = client(sqlite_db)
    ctx = make_ctx(sqlite_db)
    _panel, page = _page(qtbot, ctx)
    page.stages.setCurrentRow(0)
    assert page.remove_button.isEnabled()
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        deals.add_deal(uow, actor, "Поставка труб", client_id=cid)
        deals.add_deal(uow, actor, "Монтаж", client_id=cid)
        uow.commit()
    page.remove_button.click()
    _answer(page, "Remove the stage «Qualification» from «Sales»? No deal is in it.", remove=True)
    assert len(ctx.errors) == 1  # type: ignore[attr-defined]
    assert ctx.errors[0].params["count"] == "2"  # type: ignore[attr-defined]
    assert page.stages.count() == 5
    assert page.stages.item(0).text().endswith("2 deals")
    assert not page.remove_button.isEnabled()
    assert page.remove_button.toolTip() == "2 deals are in this stage; move them first"


def test_an_empty_database_says_what_a_pipeline_is(qtbot: QtBot, sqlite_db: Database) -> None:
    with sqlite_db.uow() as uow:
        uow.session.execute(delete(Stage))
        uow.session.execute(delete(Pipeline))
        uow.commit()
    _panel, page = _page(qtbot, make_ctx(sqlite_db))
    assert page.empty_note.isVisible()
    assert not page.add_stage_button.isEnabled()
    _type(qtbot, page.new_name, "Продажи")
    page.new_button.click()
    assert not page.empty_note.isVisible()
    assert page.pipeline.count() == 1


def test_a_manager_sees_pipelines_read_only(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    ctx = make_ctx(sqlite_db, login="anna")
    _panel, page = _page(qtbot, ctx)
    assert page.read_only_note.isVisible()
    assert page.stages.count() == 5
    page.stages.setCurrentRow(1)
    _type(qtbot, page.new_name, "Моя")
    _type(qtbot, page.stage_name, "Моя")
    for button in (
        page.new_button,
        page.rename_button,
        page.add_stage_button,
        page.rename_stage_button,
        page.up_button,
        page.remove_button,
    ):
        assert not button.isEnabled()
    assert not page.requires_check.isEnabled()
    assert not ctx.errors  # type: ignore[attr-defined]
    assert not page.history.isVisible()  # the settings history is for administrators
    with sqlite_db.reader() as uow:
        anna = bootstrap.actor_for(uow, "anna")
        with pytest.raises(PermissionDenied):
            pipeline_history.history(uow, anna, page.pipelines[0].id)


def test_the_settings_history_names_who_changed_the_pipeline_and_its_stages(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    """Pipeline and stage edits are kept in the pipeline's settings history
    (no deal's field changes), shown under the stages, newest first; the
    card history of a deal in the pipeline gets no entry from them."""
    cid = client(sqlite_db)
    with sqlite_db.uow() as uow:
        admin = bootstrap.actor_for(uow)
        deal_id = deals.add_deal(uow, admin, "Поставка труб", client_id=cid).id
        uow.commit()
    with sqlite_db.reader() as uow:
        before = len(core_history.history(uow, admin, "deal", deal_id))
    ctx = make_ctx(sqlite_db)
    _panel, page = _page(qtbot, ctx)
    _type(qtbot, page.new_name, "Оптовые продажи")
    qtbot.keyClick(page.new_name, Qt.Key.Key_Return)
    _type(qtbot, page.stage_name, "Счёт %2")  # a name with a placeholder stays as typed
    qtbot.keyClick(page.stage_name, Qt.Key.Key_Return)
    page.stages.setCurrentRow(1)
    page.stages.setFocus()
    qtbot.keyClick(page.stages, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    page.stages.setCurrentRow(1)
    page.stage_name.clear()
    _type(qtbot, page.stage_name, "Заявка")
    page.rename_stage_button.click()
    page.requires_check.click()
    page.name_edit.setText("Опт")
    page.rename_button.click()
    page.stages.setCurrentRow(1)
    page.remove_button.click()
    _answer(page, "Remove the stage «Заявка» from «Опт»? No deal is in it.", remove=True)
    assert not ctx.errors  # type: ignore[attr-defined]
    who = bootstrap_name(sqlite_db)
    assert page.history.rows() == [
        (who, "Stage «Заявка» removed"),
        (who, "Renamed from «Оптовые продажи» to «Опт»"),
        (who, "A deal must now always have a planned next step"),
        (who, "Stage «New» renamed to «Заявка»"),
        (who, "Stage «Счёт %2» moved to place 1"),
        (who, "Stage «Счёт %2» added"),
        (who, "Pipeline created as «Оптовые продажи»"),
    ]
    page.pipeline.setCurrentIndex(page.pipeline.findText("Sales"))
    page.pipeline.activated.emit(page.pipeline.currentIndex())
    assert page.history.rows() == []  # another pipeline's history: nothing changed there yet
    with sqlite_db.reader() as uow:
        assert len(core_history.history(uow, admin, "deal", deal_id)) == before


def bootstrap_name(db: Database) -> str:
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        return str(uow.session.get(User, actor.id).full_name)  # type: ignore[union-attr]
