"""Settings → Pipelines in Russian: the built-in pipeline's name box says
what the drop-down says ("Продажи", stored as "Sales"), and leaving it
unedited renames nothing; a typed new name is stored as typed."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.core.storage import Database
from tests.ui.helpers import make_ctx
from tests.ui.test_pipelines_page import _page, _stored, _type


def test_the_built_in_pipeline_is_named_as_the_drop_down_names_it(
    qtbot: QtBot, sqlite_db: Database, russian: None
) -> None:
    _panel, page = _page(qtbot, make_ctx(sqlite_db))
    sales = _stored(sqlite_db, "Sales")
    page.pipeline.setCurrentIndex(page.pipeline.findData(sales.id))
    page.pipeline.activated.emit(page.pipeline.currentIndex())
    assert page.pipeline.currentText() == "Продажи"
    assert page.name_edit.text() == "Продажи"
    assert not page.rename_button.isEnabled()  # nothing typed: nothing to rename
    page.name_edit.returnPressed.emit()
    page.rename_button.click()
    assert _stored(sqlite_db, "Sales").id == sales.id  # still stored as the seed named it
    assert not page.problem.isVisible()

    page.name_edit.setText("Sales")  # the stored name typed back: no change either
    assert not page.rename_button.isEnabled()

    page.name_edit.clear()
    _type(qtbot, page.name_edit, "Продажи Ёлки")
    assert page.rename_button.isEnabled()
    page.rename_button.click()
    qtbot.waitUntil(lambda: page.pipeline.currentText() == "Продажи Ёлки")
    assert _stored(sqlite_db, "Продажи Ёлки").id == sales.id
    assert page.name_edit.text() == "Продажи Ёлки"
